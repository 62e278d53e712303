import { crdErrors, expectCrdValid } from '../support/crds';
import { expectK8sValid } from '../support/k8s-models';
import { parseGroovy } from '../support/groovy';

describe('independent checkers catch what they must', () => {
  test('strict CRD schemas reject unknown fields and accept valid documents', () => {
    const task = { apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 't' },
      spec: { steps: [{ name: 's', image: 'alpine', script: 'echo' }] } };
    expect(() => expectCrdValid([task])).not.toThrow();
    expect(crdErrors('tekton.dev/v1', 'Task', { ...task, spec: { stpes: [] } }).join()).toMatch(/stpes/);
    expect(() => expectCrdValid([{ apiVersion: 'tekton.dev/v9', kind: 'Task' }])).toThrow(/no CRD schema/);
  });

  test('kubernetes-models rejects wrong types', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } };
    expect(() => expectK8sValid([cm])).not.toThrow();
    expect(() => expectK8sValid([{ ...cm, data: { a: 1 } }])).toThrow(/must be string/);
  });

  test('groovy 2.4 rejects groovy 3 syntax and lists literal values', () => {
    const r = parseGroovy({ good: "sh 'a\\'b'\n", bad: "def x = ['c'].any { it -> 'c' !in it }\n" }, { literals: true });
    expect(r.good.ok).toBe(true);
    expect(r.good.literals).toEqual(["a'b"]);
    expect(r.bad.ok).toBe(false);
  });
});

test('istio documents validate at the top level as the API server sees them', () => {
  const vs = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'v' },
    spec: { hosts: ['a'], http: [{ route: [{ destination: { host: 'a' } }] }] } };
  expect(() => expectCrdValid([vs])).not.toThrow();
  expect(() => expectCrdValid([{ ...vs, spek: {} }])).toThrow(/spek/);
  expect(() => expectCrdValid([{ ...vs, spec: { ...vs.spec, hostz: [] } }])).toThrow(/hostz/);
});
