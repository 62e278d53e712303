import { Chart, Cron, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { CronJob, DaemonSet, Deployment, Job, Microservice, Namespace, Pod, PodSecurity, PodSecurityLevel, StatefulSet, workloadWarnings } from '../../lib/workloads';
import { attach, chart, synthChecked, synthError } from './check';
import { checkRestricted } from './restricted';

describe('Pod Security levels change what is written', () => {
  test('restricted (default) writes the hardened settings and a writable /tmp', () => {
    const c = chart();
    new Deployment(c, 'web', { containers: [{ image: 'ghcr.io/acme/api:1.0.0', portNumber: 8080 }] });
    const doc = synthChecked(c)[0];
    const spec = doc.spec.template.spec;
    expect(spec.securityContext).toEqual({ fsGroupChangePolicy: 'Always', runAsNonRoot: true });
    expect(spec.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] },
      privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.volumes).toEqual([{ emptyDir: { sizeLimit: '64Mi' }, name: 'tmp' }]);
    expect(doc.spec.template.metadata.annotations).toBeUndefined();
    expect(checkRestricted([doc]).problems).toEqual([]);
  });

  test('baseline runs nginx:1.14.2 as root: no runAsNonRoot, no read-only root filesystem, no /tmp volume, reason shown', () => {
    const c = chart();
    new Deployment(c, 'nginx', { podSecurity: PodSecurity.baseline('the nginx image runs as root and writes /var/cache/nginx'),
      containers: [{ image: 'nginx:1.14.2', portNumber: 80 }] });
    const doc = synthChecked(c)[0];
    const spec = doc.spec.template.spec;
    // The differences from restricted, field by field:
    expect(spec.securityContext).toEqual({ fsGroupChangePolicy: 'Always' });         // no runAsNonRoot
    expect(spec.containers[0].securityContext).toEqual({                              // no runAsNonRoot, readOnlyRootFilesystem, drop ALL
      allowPrivilegeEscalation: false, privileged: false, seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.volumes).toBeUndefined();                                             // no /tmp emptyDir
    expect(spec.containers[0].volumeMounts).toBeUndefined();
    expect(doc.spec.template.metadata.annotations).toEqual({
      'slipway.dev/pod-security-level': 'baseline',
      'slipway.dev/pod-security-opt-out': 'the nginx image runs as root and writes /var/cache/nginx' });
  });

  test('privileged writes no slipway hardening at all and allows hostPath and host namespaces', () => {
    const c = chart();
    const ds = new DaemonSet(c, 'logs', { podSecurity: PodSecurity.privileged('reads /var/log on every node'), hostPID: true });
    ds.addContainer({ image: 'fluent/fluent-bit:3.1.9', volumeMounts: [{ path: '/var/log', volume: kplus.Volume.fromHostPath(c, 'varlog', 'varlog', { path: '/var/log' }) }] });
    const doc = synthChecked(c)[0];
    const spec = doc.spec.template.spec;
    expect(spec.hostPID).toBe(true);
    expect(spec.securityContext).toEqual({ fsGroupChangePolicy: 'Always' });
    // cdk8s-plus-28 writes these two unless set; nothing else.
    expect(spec.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, privileged: false });
    expect(doc.spec.template.metadata.annotations['slipway.dev/pod-security-level']).toBe('privileged');
  });

  test('rule pod-security-baseline: a hostPath volume under baseline is refused, privileged is the fix', () => {
    const c = chart();
    const ds = new DaemonSet(c, 'logs', { podSecurity: PodSecurity.baseline('runs as root') });
    ds.addContainer({ image: 'busybox:1.36', volumeMounts: [{ path: '/host', volume: kplus.Volume.fromHostPath(c, 'h', 'host', { path: '/' }) }] });
    const msg = synthError(c);
    expect(msg).toContain('[test/logs] DaemonSet pods break Pod Security "baseline": volume "host" is of type hostPath (rule: pod-security-baseline)');
    expect(msg).toContain("PodSecurity.privileged('<reason>')");
  });

  test('rule pod-security-opt-out-reason: a level without a reason is refused', () => {
    expect(() => attach(() => PodSecurity.baseline(' '))).toThrow(/\(rule: pod-security-opt-out-reason\)/);
    expect(() => attach(() => PodSecurity.privileged(''))).toThrow(/\(rule: pod-security-opt-out-reason\)/);
  });

  test('the deprecated optOut() keeps writing the restricted settings', () => {
    const c = chart();
    new Deployment(c, 'web', { podSecurity: PodSecurity.optOut('legacy'), containers: [{ image: 'ghcr.io/acme/api:1.0.0', portNumber: 8080 }] });
    const doc = synthChecked(c)[0];
    expect(doc.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
    expect(doc.spec.template.metadata.annotations).toEqual({ 'slipway.dev/pod-security-opt-out': 'legacy' });
  });

  test('one prop per kind: StatefulSet, Job, CronJob and Pod with root images under baseline', () => {
    const c = chart();
    const level = PodSecurity.baseline('the image runs as root');
    new StatefulSet(c, 'db', { podSecurity: level, containers: [{ image: 'postgres:16.4', portNumber: 5432 }] });
    new Job(c, 'pi', { podSecurity: level, containers: [{ image: 'perl:5.34.0', command: ['perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)'] }] });
    new CronJob(c, 'hello', { podSecurity: level, schedule: Cron.everyMinute(),
      containers: [{ image: 'busybox:1.28', command: ['/bin/sh', '-c', 'date; echo Hello'] }] });
    new Pod(c, 'debug', { podSecurity: level, containers: [{ image: 'busybox:1.36', command: ['sleep', '3600'] }] });
    const docs = synthChecked(c);
    for (const d of docs.filter((x) => x.kind !== 'Service')) {
      const spec = d.kind === 'Pod' ? d.spec : d.kind === 'CronJob' ? d.spec.jobTemplate.spec.template.spec : d.spec.template.spec;
      expect(spec.securityContext?.runAsNonRoot).toBeUndefined();
      expect(spec.containers[0].securityContext.runAsNonRoot).toBeUndefined();
      expect(spec.containers[0].securityContext.readOnlyRootFilesystem).toBeUndefined();
    }
  });
});

describe('warnings', () => {
  test('a restricted nginx:1.14.2 with nothing writable is warned about; baseline, a user or a non-root image are not', () => {
    const c = chart();
    new Deployment(c, 'nginx', { containers: [{ image: 'nginx:1.14.2', portNumber: 80 }] });
    new Deployment(c, 'ok-user', { containers: [{ image: 'nginx:1.14.2', portNumber: 8080, securityContext: { user: 101 } }] });
    new Deployment(c, 'ok-level', { podSecurity: PodSecurity.baseline('root image'), containers: [{ image: 'docker.io/library/nginx:1.14.2', portNumber: 80 }] });
    new Deployment(c, 'ok-pod-user', { securityContext: { user: 101 }, containers: [{ image: 'nginx:1.14.2', portNumber: 8080 }] });
    new Deployment(c, 'ok-image', { containers: [{ image: 'nginxinc/nginx-unprivileged:1.27', portNumber: 8080 }] });
    const w: string[] = workloadWarnings(c);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/^\[test\/nginx\] image "nginx:1.14.2" runs as root by default/);
    expect(() => Testing.synth(c)).not.toThrow();
  });
});

describe('patterns pass the pod options through', () => {
  test('a Microservice at baseline with a priority class writes both', () => {
    const c = chart();
    new Microservice(c, 'legacy', { image: 'httpd:2.4', port: 80, podSecurity: PodSecurity.baseline('httpd binds port 80 as root'), priorityClassName: 'business-critical' });
    const dep = synthChecked(c).find((d) => d.kind === 'Deployment');
    expect(dep.spec.template.spec.priorityClassName).toBe('business-critical');
    expect(dep.spec.template.spec.containers[0].securityContext.runAsNonRoot).toBeUndefined();
  });
});

describe('levels and namespaces', () => {
  test('rule namespace-pod-security-level: a baseline pod in a restricted Namespace of the app is refused; a baseline Namespace admits it', () => {
    const app = Testing.app();
    const platform = new Chart(app, 'platform');
    new Namespace(platform, 'web', { name: 'web' });
    const web = new Chart(app, 'web', { namespace: 'web' });
    new Deployment(web, 'nginx', { podSecurity: PodSecurity.baseline('root image'), containers: [{ image: 'nginx:1.14.2', portNumber: 80 }] });
    expect(synthError(web)).toContain('[web/nginx] Deployment pods at Pod Security "baseline" run in namespace "web", which enforces "restricted" (rule: namespace-pod-security-level)');
    const other = Testing.app();
    new Namespace(new Chart(other, 'platform'), 'legacy', { name: 'legacy', podSecurity: PodSecurityLevel.BASELINE });
    const legacy = new Chart(other, 'legacy', { namespace: 'legacy' });
    new Deployment(legacy, 'nginx', { podSecurity: PodSecurity.baseline('root image'), containers: [{ image: 'nginx:1.14.2', portNumber: 80 }] });
    expect(synthChecked(legacy)[0].kind).toBe('Deployment');
  });
});
