import { ApiObject, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { synthFiles } from '../../lib';
import { Deployment, Pod, PodSecurity, Probe, QosClass, StaticPod } from '../../lib/workloads';
import { chart, synthChecked, synthError } from './check';

describe('workloads.Pod', () => {
  test('a bare Pod gets the same defaults as the other kinds, init containers, restart policy, QoS and all probes', () => {
    const c = chart();
    const pod = new Pod(c, 'tools', {
      metadata: { name: 'tools' },
      restartPolicy: kplus.RestartPolicy.NEVER,
      shareProcessNamespace: true,
      priorityClassName: 'low-priority',
      initContainers: [{ name: 'prepare', image: 'busybox:1.36', command: ['sh', '-c', 'echo ready > /tmp/ready'] }],
      containers: [{
        name: 'shell', image: 'ghcr.io/acme/tools:1.0.0', portNumber: 8080, tty: true, stdin: true,
        resources: { cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.millis(250) }, memory: { request: Size.mebibytes(128), limit: Size.mebibytes(128) } },
        startup: Probe.fromCommand(['cat', '/tmp/ready']),
        readiness: Probe.fromHttpGet('/ready', { httpHeaders: [{ name: 'X-Probe', value: 'kubelet' }], host: '127.0.0.1' }),
        liveness: Probe.fromGrpc(9090),
      }],
    });
    expect(pod.qosClass).toBe(QosClass.BURSTABLE); // the init container uses slipway's default resources
    const doc = synthChecked(c)[0];
    expect(doc.kind).toBe('Pod');
    const spec = doc.spec;
    expect([spec.restartPolicy, spec.shareProcessNamespace, spec.priorityClassName]).toEqual(['Never', true, 'low-priority']);
    const [init] = spec.initContainers;
    const [main] = spec.containers;
    expect(init.securityContext.readOnlyRootFilesystem).toBe(true);
    expect([main.tty, main.stdin]).toEqual([true, true]);
    expect(main.readinessProbe.httpGet).toEqual({ host: '127.0.0.1', httpHeaders: [{ name: 'X-Probe', value: 'kubelet' }], path: '/ready', port: 8080 });
    expect(main.livenessProbe.grpc).toEqual({ port: 9090 });
    expect(main.startupProbe.exec.command).toEqual(['cat', '/tmp/ready']);
  });

  test('a Pod accepts restartPolicy Always, OnFailure and Never', () => {
    for (const p of [kplus.RestartPolicy.ALWAYS, kplus.RestartPolicy.ON_FAILURE, kplus.RestartPolicy.NEVER]) {
      const c = chart();
      new Pod(c, 'p', { restartPolicy: p, containers: [{ image: 'busybox:1.36' }] });
      expect(synthChecked(c)[0].spec.restartPolicy).toBe(p);
    }
  });

  test('a StaticPod is a slipway Pod: levels apply, and patches reach the written file', () => {
    const c = chart();
    const sp = new StaticPod(c, 'etcd-backup', { name: 'etcd-backup', hostNetwork: true,
      podSecurity: PodSecurity.privileged('reads the etcd data directory on the control-plane node'),
      containers: [{ image: 'registry.k8s.io/etcd:3.5.15-0', command: ['sleep', 'infinity'] }] });
    ApiObject.of(sp.pod).addJsonPatch(JsonPatch.add('/spec/priorityClassName', 'system-node-critical'));
    const text = synthFiles(c)['static-pods/etcd-backup.yml'];
    expect(text).toContain('priorityClassName: system-node-critical');
    expect(text).toContain('slipway.dev/pod-security-level: privileged');
    expect(text).not.toContain('readOnlyRootFilesystem');
  });
});

describe('pod fields through cdk8s-plus-28 props', () => {
  test('dnsConfig and hostAliases come from the dns and hostAliases props', () => {
    const c = chart();
    new Pod(c, 'dns', {
      dns: { policy: kplus.DnsPolicy.NONE, nameservers: ['10.96.0.10'], searches: ['ns.svc.cluster.local'], options: [{ name: 'ndots', value: '2' }] },
      hostAliases: [{ ip: '10.0.0.5', hostnames: ['db.internal'] }],
      containers: [{ image: 'busybox:1.36', command: ['sleep', '3600'], securityContext: { user: 1000 } }],
    });
    const spec = synthChecked(c)[0].spec;
    expect(spec.dnsPolicy).toBe('None');
    expect(spec.dnsConfig).toEqual({ nameservers: ['10.96.0.10'], options: [{ name: 'ndots', value: '2' }], searches: ['ns.svc.cluster.local'] });
    expect(spec.hostAliases).toEqual([{ hostnames: ['db.internal'], ip: '10.0.0.5' }]);
  });
});

describe('more pod fields', () => {
  test('enableServiceLinks, preemptionPolicy, readinessGates and os are written', () => {
    const c = chart();
    new Deployment(c, 'web', { enableServiceLinks: false, preemptionPolicy: 'Never', readinessGates: ['target-health.elbv2.k8s.aws/shop'], os: 'linux',
      containers: [{ image: 'ghcr.io/acme/web:1.0.0', portNumber: 8080 }] });
    const spec = synthChecked(c)[0].spec.template.spec;
    expect([spec.enableServiceLinks, spec.preemptionPolicy, spec.os]).toEqual([false, 'Never', { name: 'linux' }]);
    expect(spec.readinessGates).toEqual([{ conditionType: 'target-health.elbv2.k8s.aws/shop' }]);
  });
  test('rule readiness-gate: a condition type with spaces is refused', () => {
    expect(() => new Deployment(chart(), 'web', { readinessGates: ['not valid'] })).toThrow(/\(rule: readiness-gate\)/);
  });
});

describe('cdk8s-plus errors come back as slipway errors', () => {
  test('rule container-port-unique: "Port with name http already exists" carries the path and a fix', () => {
    const d = new Deployment(chart(), 'web');
    expect(() => d.addContainer({ image: 'nginx:1.27', ports: [{ number: 80, name: 'http' }, { number: 8080, name: 'http' }] }))
      .toThrow(/^\[test\/web\] port with name http already exists \(rule: container-port-unique\)\. fix: give each container port its own name/);
  });
  test('rule volume-name-unique: "Invalid mount configuration" at synth names the construct', () => {
    const c = chart();
    const d = new Deployment(c, 'web');
    d.addContainer({ image: 'nginx:1.27', volumeMounts: [
      { path: '/a', volume: kplus.Volume.fromEmptyDir(c, 'v1', 'data') },
      { path: '/b', volume: kplus.Volume.fromEmptyDir(c, 'v2', 'data') }] });
    expect(synthError(c)).toMatch(/\[test\/web\] invalid mount configuration.*\(rule: volume-name-unique\)/);
  });
  test('rule init-container-probe: an init container with a readiness probe', () => {
    const d = new Deployment(chart(), 'web');
    expect(() => d.addInitContainer({ image: 'busybox:1.36', readiness: Probe.fromCommand(['true']) })).toThrow(/\[test\/web\] .*\(rule: init-container-probe\)/);
  });
});
