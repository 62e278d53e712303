import { ApiObject, Chart, JsonPatch, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import fc from 'fast-check';
import { CronJob, CronSchedule, DaemonSet, Deployment, DisruptionLimit, Job, Microservice, Pod, PodSecurity, StatefulService, StatefulSet } from '../../lib/workloads';
import { synthChecked } from './check';
import { checkRestricted } from './restricted';

const dnsLabel = fc.stringMatching(/^[a-z]([-a-z0-9]{0,20}[a-z0-9])?$/);
const port = fc.integer({ min: 1, max: 65535 });

describe('properties', () => {
  test('any valid Microservice synthesizes schema-valid, restricted, self-consistent objects', () => {
    fc.assert(fc.property(dnsLabel, port, port, fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
      fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }), fc.integer({ min: 1, max: 4096 }),
      (name, containerPort, servicePort, maxReplicas, replicas, memory) => {
        const c = new Chart(Testing.app(), 'p', { namespace: 'ns' });
        const ms = new Microservice(c, 'svc', {
          name, image: 'registry.example.com/app:1', port: containerPort, servicePort, replicas: maxReplicas === undefined ? replicas : undefined,
          resources: { cpu: { request: kplus.Cpu.millis(100) }, memory: { request: Size.mebibytes(memory) } },
          autoscaling: maxReplicas === undefined ? undefined : { minReplicas: 1, maxReplicas },
          disruptionBudget: DisruptionLimit.maxUnavailable(1),
        });
        const docs = synthChecked(c);
        expect(checkRestricted(docs).problems).toEqual([]);
        const dep = docs.find((d) => d.kind === 'Deployment');
        const svc = docs.find((d) => d.kind === 'Service');
        for (const [k, v] of Object.entries(dep.spec.selector.matchLabels)) expect(dep.spec.template.metadata.labels[k]).toBe(v);
        expect(svc.spec.selector).toEqual(ms.selectorLabels);
        expect(svc.spec.ports[0].targetPort).toBe(dep.spec.template.spec.containers[0].ports[0].containerPort);
        expect(dep.spec.replicas).toBe(maxReplicas === undefined ? replicas ?? 2 : undefined);
      }), { numRuns: 30 });
  });

  test('StatefulService pod DNS names follow <sts>-<n>.<svc>.<ns>.svc.cluster.local', () => {
    fc.assert(fc.property(dnsLabel, dnsLabel, fc.integer({ min: 0, max: 99 }), (name, ns, n) => {
      const c = new Chart(Testing.app(), 'p', { namespace: ns });
      const s = new StatefulService(c, 'db', { name, image: 'postgres:16', port: 5432 });
      expect(s.podDnsName(n)).toBe(`${name}-${n}.${name}.${ns}.svc.cluster.local`);
    }), { numRuns: 30 });
  });

  test('no patch with a Kubernetes path is lost: any annotation, pod field and extended resource added by patch is in the output, and the rules read it', () => {
    const kinds = [
      (c: Chart) => new Deployment(c, 'w', { containers: [{ image: 'registry.example.com/app:1', portNumber: 8080 }] }),
      (c: Chart) => new StatefulSet(c, 'w', { containers: [{ image: 'registry.example.com/app:1', portNumber: 8080 }] }),
      (c: Chart) => new DaemonSet(c, 'w', { containers: [{ image: 'registry.example.com/app:1' }] }),
      (c: Chart) => new Job(c, 'w', { containers: [{ image: 'registry.example.com/app:1' }] }),
      (c: Chart) => new CronJob(c, 'w', { schedule: CronSchedule.expression('0 * * * *'), containers: [{ image: 'registry.example.com/app:1' }] }),
      (c: Chart) => new Pod(c, 'w', { containers: [{ image: 'registry.example.com/app:1' }] }),
    ];
    const templatePath = ['/spec/template', '/spec/template', '/spec/template', '/spec/template', '/spec/jobTemplate/spec/template', ''];
    // A qualified name: a DNS subdomain prefix (dot-separated labels), '/', a name (the API server refuses 'a..b/x').
    const key = fc.stringMatching(/^[a-z]([-a-z0-9]{0,8}[a-z0-9])?(\.[a-z]([-a-z0-9]{0,8}[a-z0-9])?){0,2}\/[a-z]([-a-z0-9]{0,20}[a-z0-9])?$/);
    fc.assert(fc.property(fc.integer({ min: 0, max: kinds.length - 1 }), key, fc.string({ maxLength: 30 }), fc.boolean(), fc.integer({ min: 1, max: 100000 }),
      (k, annotation, value, hostIPC, priority) => {
        const c = new Chart(Testing.app(), 'p', { namespace: 'ns' });
        const w = kinds[k](c);
        const at = templatePath[k];
        ApiObject.of(w).addJsonPatch(
          JsonPatch.add(`${at}/metadata/annotations`, { [annotation]: value }),
          JsonPatch.add(`${at}/spec/hostIPC`, hostIPC),
          JsonPatch.add(`${at}/spec/priority`, priority),
          JsonPatch.add(`${at}/spec/containers/0/resources/limits/example.com~1device`, '1'));
        if (hostIPC) {
          // hostIPC breaks restricted: the rule reads the patched document and refuses it.
          expect(() => Testing.synth(c)).toThrow(/hostIPC is true.*\(rule: pod-security-restricted\)/);
          return;
        }
        const doc = synthChecked(c).find((d) => d.kind !== 'Service');
        const t = at === '' ? doc : at.split('/').slice(1).reduce((o: any, p) => o[p], doc);
        expect(t.metadata.annotations[annotation]).toBe(value);
        expect(t.spec.hostIPC).toBe(false);
        expect(t.spec.priority).toBe(priority);
        expect(t.spec.containers[0].resources.limits['example.com/device']).toBe('1');
      }), { numRuns: 40 });
  });

  test('a relaxed level still gets a patched field: privileged with hostIPC true is written', () => {
    const c = new Chart(Testing.app(), 'p', { namespace: 'ns' });
    const d = new DaemonSet(c, 'w', { podSecurity: PodSecurity.privileged('shares IPC with the node'), containers: [{ image: 'registry.example.com/app:1' }] });
    ApiObject.of(d).addJsonPatch(JsonPatch.add('/spec/template/spec/hostIPC', true));
    expect(synthChecked(c)[0].spec.template.spec.hostIPC).toBe(true);
  });
});
