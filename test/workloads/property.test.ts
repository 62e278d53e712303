import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import fc from 'fast-check';
import { DisruptionLimit, Microservice, StatefulService } from '../../lib/workloads';
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
});
