// Service-to-service access from one declaration: NetworkPolicy ingress (and egress under default deny) and, in the
// mesh, the AuthorizationPolicy for the caller's ServiceAccount principal.
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AccessPeer, ExternalObject, NamespaceAccess } from '../../lib/delivery';
import { Microservice } from '../../lib/workloads';
import { expectValid } from './check';
import { expectEager, expectRule, synthError } from './rules';

function service(chart: Chart, name: string, withAccount = true): Microservice {
  const serviceAccount = withAccount ? new kplus.ServiceAccount(chart, `${name}-sa`, { metadata: { name } }) : undefined;
  return new Microservice(chart, name, { image: `ghcr.io/acme/${name}:1`, serviceAccount });
}
const docsOf = (app: any) => app.charts.flatMap((c: Chart) => Testing.synth(c));
const named = (docs: any[], kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata.name === name);
const pods = (name: string) => ({ matchLabels: { 'app.kubernetes.io/name': name } });

describe('service-to-service access', () => {
  test('an allow writes the callee NetworkPolicy ingress rule on its container port; no mesh, no AuthorizationPolicy', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    const frontend = service(chart, 'frontend');
    const orders = service(chart, 'orders');
    new NamespaceAccess(chart, 'access').to(orders).allowFrom(frontend);
    const docs = Testing.synth(chart);
    expect(named(docs, 'NetworkPolicy', 'orders-ingress')).toEqual({
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'orders-ingress', namespace: 'shop' },
      spec: { podSelector: pods('orders'), policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: pods('frontend') }], ports: [{ protocol: 'TCP', port: 8080 }] }] },
    });
    expect(docs.filter((d) => d.kind === 'AuthorizationPolicy')).toEqual([]);
    expectValid(docs);
  });

  test('mesh + default deny: default-deny with DNS and istiod egress, allow-nothing, principals per caller, caller egress, cross-namespace peers', () => {
    const app = Testing.app();
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const payments = new Chart(app, 'payments', { namespace: 'payments' });
    const frontend = service(shop, 'frontend');
    const orders = service(shop, 'orders');
    const pay = service(payments, 'payments');
    ExternalObject.pods(shop, 'ingress', { istio: 'ingressgateway' }, 'istio-system');
    // the payments namespace is declared first: the shop's egress for orders still lands once shop denies by default
    new NamespaceAccess(payments, 'access', { mesh: true, defaultDeny: true }).to(pay).allowFrom(orders, { port: 8080 });
    const access = new NamespaceAccess(shop, 'access', { mesh: true, defaultDeny: true });
    access.to(orders).allowFrom(frontend);
    access.to(frontend).allowFromPeer(AccessPeer.pods('istio-system', { istio: 'ingressgateway' }, 'istio-ingressgateway-service-account'));
    const docs = docsOf(app);
    expectValid(docs);
    const deny = docs.find((d: any) => d.kind === 'NetworkPolicy' && d.metadata.name === 'default-deny' && d.metadata.namespace === 'shop');
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'], egress: [
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] },
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } }, podSelector: { matchLabels: { app: 'istiod' } } }], ports: [{ protocol: 'TCP', port: 15012 }] },
    ] });
    expect(docs.filter((d: any) => d.kind === 'AuthorizationPolicy' && d.metadata.name === 'allow-nothing').map((d: any) => d.metadata.namespace).sort()).toEqual(['payments', 'shop']);
    expect(named(docs, 'AuthorizationPolicy', 'orders-callers').spec).toEqual({ selector: pods('orders'),
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/frontend'] } }], to: [{ operation: { ports: ['8080'] } }] }] });
    expect(named(docs, 'AuthorizationPolicy', 'payments-callers').spec.rules[0].from[0].source.principals).toEqual(['cluster.local/ns/shop/sa/orders']);
    expect(named(docs, 'NetworkPolicy', 'payments-ingress').spec.ingress[0].from).toEqual([
      { podSelector: pods('orders'), namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } }]);
    expect(named(docs, 'NetworkPolicy', 'orders-egress')).toMatchObject({ metadata: { namespace: 'shop' }, spec: { podSelector: pods('orders'), policyTypes: ['Egress'],
      egress: [{ to: [{ podSelector: pods('payments'), namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }] } });
    expect(named(docs, 'NetworkPolicy', 'frontend-egress').spec.egress).toEqual([{ to: [{ podSelector: pods('orders') }], ports: [{ protocol: 'TCP', port: 8080 }] }]);
    expect(named(docs, 'AuthorizationPolicy', 'frontend-callers').spec.rules[0].from[0].source.principals)
      .toEqual(['cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account']);
  });

  test('rule access-unknown-workload: an allow naming a workload that is not in the app is refused', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    const orders = service(chart, 'orders');
    const stray = service(new Chart(Testing.app(), 'elsewhere', { namespace: 'shop' }), 'frontend');
    const access = new NamespaceAccess(chart, 'access');
    access.to(orders).allowFrom(stray).allowFromPeer(AccessPeer.pods('monitoring', { app: 'prometheus' }));
    expectRule(chart, 'access-unknown-workload', 'shop/access/ordersAccess', 'allow from "frontend"', 'the caller is not a workload of this app');
    expectRule(chart, 'access-unknown-workload', 'shop/access/ordersAccess', 'allow from "app=prometheus" (pods {"app":"prometheus"} in "monitoring")');
    const ok = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    const o2 = service(ok, 'orders');
    ExternalObject.pods(ok, 'prometheus', { app: 'prometheus' }, 'monitoring');
    new NamespaceAccess(ok, 'access').to(o2).allowFromPeer(AccessPeer.pods('monitoring', { app: 'prometheus' }), { port: 9090 });
    expect(synthError(ok)).toBe('');
  });

  test('rule access-service-account: in the mesh a caller needs its own ServiceAccount', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    const frontend = service(chart, 'frontend', false);
    const orders = service(chart, 'orders');
    expectEager(() => new NamespaceAccess(chart, 'access', { mesh: true }).to(orders).allowFrom(frontend), 'access-service-account', 'shop/access/ordersAccess',
      'runs as the default ServiceAccount of "shop"', 'cluster.local/ns/shop/sa/default');
  });

  test('rule access-port: the port is 1..65535', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    const [a, b] = [service(chart, 'a'), service(chart, 'b')];
    expectEager(() => new NamespaceAccess(chart, 'access').to(b).allowFrom(a, { port: 70000 }), 'access-port', 'shop/access/bAccess', 'port 70000 is not a whole number from 1 to 65535');
  });

  test('rule access-namespace: one declaration per namespace, and only for its own workloads', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new NamespaceAccess(chart, 'access');
    expectEager(() => new NamespaceAccess(chart, 'again'), 'access-namespace', 'shop/again', 'namespace "shop" already has an access declaration (shop/access)');
    const other = service(new Chart(app, 'payments', { namespace: 'payments' }), 'payments');
    const c2 = new Chart(app, 'data', { namespace: 'data' });
    expectEager(() => new NamespaceAccess(c2, 'access').to(other), 'access-namespace', 'data/access', 'workload "payments" is in namespace "payments", not "data"');
  });
});
