import { Testing } from 'cdk8s';
import { addApps } from '../../apps';
import { addSystemApps } from '../../apps/system';
import { synthFiles } from '../../lib';
import { expectDocumentsValid } from '../support/validate';
import { checkRestricted } from './restricted';
import { expectNoUnknownFields } from './strict-fields';

const app = Testing.app();
addSystemApps(app);
const docs = app.charts.flatMap((c) => c.toJson());
const files = synthFiles(app);
const staticPods = Object.entries(files).filter(([p]) => p.startsWith('static-pods/')).map(([, text]) => parseYaml(text));

function parseYaml(text: string): any {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('yaml').parse(text);
}

describe('example system (apps/system.ts)', () => {
  test('every document passes kubernetes-models and has no unknown fields', () => {
    expectDocumentsValid([...docs, ...staticPods]);
    expectNoUnknownFields([...docs, ...staticPods]);
  });

  test('the strict field check catches a typo that kubernetes-models lets through', () => {
    const sts = structuredClone(docs.find((d) => d.kind === 'StatefulSet'));
    sts.spec.volumeClaimTemplates[0].spec.acessModes = ['ReadWriteOnce'];
    expect(() => expectDocumentsValid([sts])).toThrow(/volumeClaimTemplates\/0\/spec\/acessModes: unknown field/);
    expect(() => expectNoUnknownFields([sts])).toThrow(/volumeClaimTemplates\/0\/spec\/acessModes/);
  });

  test('every pod meets Pod Security "restricted" unless visibly opted out', () => {
    const r = checkRestricted([...docs, ...staticPods]);
    expect(r.problems).toEqual([]);
    expect(r.checked).toBe(4); // frontend, orders, payments, backup
    expect(r.optedOut).toEqual(['StatefulSet mysql', 'Deployment cache', 'DaemonSet log-collector', 'Pod api-lb']);
  });

  test('every pod of the whole example repository (system and delivery apps) meets "restricted"', () => {
    const all = Testing.app();
    addApps(all);
    const r = checkRestricted(all.charts.flatMap((c) => c.toJson()), false);
    expect(r.problems).toEqual([]);
    expect(r.checked).toBeGreaterThan(6);
  });

  test('orders calls payments across namespaces by service name; MySQL pods have stable names', () => {
    const orders = docs.find((d) => d.kind === 'Deployment' && d.metadata.name === 'orders');
    const env = Object.fromEntries(orders.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
    expect(env.PAYMENTS_ADDRESS).toBe('payments.payments.svc.cluster.local:9090');
    expect(env.DB_HOST).toBe('mysql-0.mysql.data.svc.cluster.local');
    const sts = docs.find((d) => d.kind === 'StatefulSet');
    expect(sts.spec.volumeClaimTemplates[0].spec.storageClassName).toBe('fast-ssd');
    expect(docs.filter((d) => d.kind === 'StorageClass' || d.kind === 'Namespace').every((d) => d.metadata.namespace === undefined)).toBe(true);
  });

  test('snapshot', () => {
    expect(docs).toMatchSnapshot();
    expect(files['static-pods/api-lb.yml']).toMatchSnapshot();
  });
});
