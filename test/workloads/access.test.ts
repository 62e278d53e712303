import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { DashboardAccess, DashboardRole, Deployment, QosClass, ServiceDiscoveryAccess } from '../../lib/workloads';
import { expectDocumentsValid } from '../support/validate';
import { synthChecked } from './check';
import { expectNoUnknownFields } from './strict-fields';

const chart = () => new Chart(Testing.app(), 'test', { namespace: 'shop' });

describe('RBAC helpers', () => {
  test('service discovery: namespaced, read-only, exactly what Spring Cloud Kubernetes reads', () => {
    const c = chart();
    const sa = new kplus.ServiceAccount(c, 'sa', { metadata: { name: 'orders' } });
    new ServiceDiscoveryAccess(c, 'discovery', { serviceAccount: sa });
    const docs = synthChecked(c);
    expectDocumentsValid(docs);
    expectNoUnknownFields(docs);
    const role = docs.find((d) => d.kind === 'Role');
    const rules = role.rules.map((r: any) => `${r.apiGroups.join()}|${r.resources.join()}|${r.verbs.join()}`);
    expect(rules.join(' ')).not.toMatch(/secrets|create|update|delete|\*/);
    expect(role.rules.flatMap((r: any) => r.resources).sort()).toEqual(['configmaps', 'endpoints', 'endpointslices', 'pods', 'services']);
    expect(docs.find((d) => d.kind === 'RoleBinding').subjects).toEqual([{ apiGroup: '', kind: 'ServiceAccount', name: 'orders', namespace: 'shop' }]);
    expect(docs.some((d) => d.kind.startsWith('Cluster'))).toBe(false);
  });

  test('service discovery across all namespaces uses a ClusterRole, still read-only', () => {
    const c = chart();
    const sa = new kplus.ServiceAccount(c, 'sa');
    new ServiceDiscoveryAccess(c, 'discovery', { serviceAccount: sa, allNamespaces: true, readSecrets: true });
    const docs = synthChecked(c);
    expectDocumentsValid(docs);
    const role = docs.find((d) => d.kind === 'ClusterRole');
    expect(new Set(role.rules.flatMap((r: any) => r.verbs))).toEqual(new Set(['get', 'list', 'watch']));
    expect(role.rules.flatMap((r: any) => r.resources)).toContain('secrets');
    expect(docs.find((d) => d.kind === 'ClusterRoleBinding').roleRef.name).toBe(role.metadata.name);
  });

  test('dashboard access: ServiceAccount, token Secret, view bindings per namespace, kubeconfig without the token', () => {
    const c = new Chart(Testing.app(), 'platform');
    const access = new DashboardAccess(c, 'dashboard', { namespace: 'kubernetes-dashboard', namespaces: ['shop', 'data'] });
    const docs = synthChecked(c);
    expectDocumentsValid(docs);
    expectNoUnknownFields(docs);
    expect(docs.map((d) => d.kind)).toEqual(['ServiceAccount', 'Secret', 'RoleBinding', 'RoleBinding']);
    const secret = docs[1];
    expect(secret.type).toBe('kubernetes.io/service-account-token');
    expect(secret.metadata.annotations['kubernetes.io/service-account.name']).toBe('dashboard-user');
    expect(docs.slice(2).map((b) => [b.metadata.namespace, b.roleRef.kind, b.roleRef.name])).toEqual([
      ['shop', 'ClusterRole', 'view'], ['data', 'ClusterRole', 'view']]);
    expect(JSON.stringify(docs)).not.toContain('cluster-admin');
    const kubeconfig = access.kubeconfig('prod', 'https://k8s.example.com:6443');
    expect(kubeconfig).toContain("kubectl -n kubernetes-dashboard get secret dashboard-user-token -o jsonpath='{.data.token}'");
    expect(kubeconfig).toContain('current-context: dashboard-user@prod');
  });

  test('dashboard access cluster-wide with edit', () => {
    const c = new Chart(Testing.app(), 'platform');
    new DashboardAccess(c, 'dashboard', { clusterWide: true, role: DashboardRole.edit() });
    const docs = synthChecked(c);
    expectDocumentsValid(docs);
    expect(docs.find((d) => d.kind === 'ClusterRoleBinding').roleRef.name).toBe('edit');
  });
});

describe('QoS class', () => {
  const qos = (resources?: kplus.ContainerResources, extra?: kplus.ContainerResources) => {
    const d = new Deployment(chart(), 'web', { containers: [{ image: 'nginx', resources }] });
    if (extra) d.addContainer({ name: 'side', image: 'nginx', resources: extra });
    return d.qosClass;
  };
  test('equal requests and limits everywhere: Guaranteed (a request left out defaults to its limit)', () => {
    expect(qos({ cpu: { request: kplus.Cpu.millis(500), limit: kplus.Cpu.units(0.5) }, memory: { limit: Size.mebibytes(256) } })).toBe(QosClass.GUARANTEED);
  });
  test('slipway defaults (no CPU limit) and mixed containers: Burstable', () => {
    expect(qos()).toBe(QosClass.BURSTABLE);
    expect(qos({ cpu: { limit: kplus.Cpu.units(1) }, memory: { limit: Size.gibibytes(1) } }, { cpu: { request: kplus.Cpu.millis(100) } })).toBe(QosClass.BURSTABLE);
  });
  test('nothing set anywhere: BestEffort', () => {
    expect(qos({})).toBe(QosClass.BEST_EFFORT);
  });
});
