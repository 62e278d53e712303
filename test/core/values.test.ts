/** The shared value rules of lib/core/values.ts: one test per rule, valid real-world forms kept, values shown as written. */
import { Chart, Testing } from 'cdk8s';
import {
  INT32_MAX, NameForm, SlipwayError, annotationViolations, dataKeyViolations, assertValue, envNameViolations, finiteViolations, imageViolations,
  integerViolations, labelViolations, nameViolations, quantityViolations, show,
} from '../../lib/core';

const rules = (vs: Array<{ rule: string }>) => vs.map((v) => v.rule);

describe('show', () => {
  test('numbers JSON cannot hold are shown as written, also nested', () => {
    expect([NaN, Infinity, -Infinity, -0, 2.5].map(show)).toEqual(['NaN', 'Infinity', '-Infinity', '-0', '2.5']);
    expect(show({ attempts: Infinity, list: [NaN, 'a'] })).toBe('{"attempts":Infinity,"list":[NaN,"a"]}');
    expect(show('x')).toBe('"x"');
    expect(show(undefined)).toBe('undefined');
    expect(show(null)).toBe('null');
  });
});

describe('numbers', () => {
  test('rule value-finite: NaN, Infinity and non-numbers are refused, shown as written', () => {
    for (const v of [NaN, Infinity, -Infinity, '3']) {
      expect(rules(integerViolations('replicas', v))).toEqual(['value-finite']);
      expect(rules(finiteViolations('weight', v))).toEqual(['value-finite']);
    }
    expect(integerViolations('replicas', NaN)[0].message).toBe('replicas NaN is not a finite number');
  });

  test('rule value-integer: a fraction is refused where an integer is wanted', () => {
    expect(integerViolations('weight', 12.5)).toEqual([{ rule: 'value-integer', message: 'weight 12.5 is not a whole number',
      fix: 'pass a whole number from -2147483648 to 2147483647' }]);
    expect(finiteViolations('ratio', 12.5)).toEqual([]);
  });

  test('rule value-range: int32 by default, bounds and exclusive minimums, a domain rule id and fix kept', () => {
    expect(rules(integerViolations('maxReplicas', 2 ** 31))).toEqual(['value-range']);
    expect(integerViolations('maxReplicas', INT32_MAX)).toEqual([]);
    expect(integerViolations('uid', 2 ** 31, { min: 0, max: Number.MAX_SAFE_INTEGER })).toEqual([]);
    expect(integerViolations('port', 0, { min: 1, max: 65535 })[0].message).toBe('port 0 is not a whole number from 1 to 65535');
    expect(finiteViolations('factor', 0, { min: 0, exclusiveMin: true })[0].message).toBe('factor 0 is not a number greater than 0');
    expect(integerViolations('retries', -1, { min: 0, rangeRule: 'task-run-retries', fix: 'set retries' })[0])
      .toEqual({ rule: 'task-run-retries', message: 'retries -1 is not a whole number from 0 to 2147483647', fix: 'set retries' });
    // -0 is the number 0: JSON writes it as 0, so nothing is altered.
    expect(integerViolations('retries', -0, { min: 0 })).toEqual([]);
  });
});

describe('names', () => {
  test('rule dns-1123-label: labels refuse dots, upper case and 64 characters', () => {
    for (const v of ['Upper_Case', 'a.b', 'a'.repeat(64), '', 'a\nb']) expect(rules(nameViolations('service name', v, NameForm.DNS_LABEL))).toEqual(['dns-1123-label']);
    expect(nameViolations('service name', 'web-1', NameForm.DNS_LABEL)).toEqual([]);
  });

  test('rule dns-1123-subdomain: subdomains take dots, not spaces or upper case', () => {
    for (const v of ['A b', 'Upper_Case', 'a..b', `${'a'.repeat(254)}`]) {
      expect(rules(nameViolations('serviceAccountName', v, NameForm.DNS_SUBDOMAIN))).toEqual(['dns-1123-subdomain']);
    }
    expect(nameViolations('configmap name', 'app.config-1', NameForm.DNS_SUBDOMAIN)).toEqual([]);
  });
});

describe('metadata', () => {
  test('valid real-world labels and annotations pass', () => {
    expect(labelViolations({ 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/version': '1.2.3', tier: '', 'tekton.dev/pipeline': 'ci_build' })).toEqual([]);
    expect(annotationViolations({ 'tekton.dev/tags': 'git, build', 'kubectl.kubernetes.io/last-applied-configuration': '{"a": 1}\n', note: '' })).toEqual([]);
  });

  test('rule label-key: prefix, charset, length and extra slashes', () => {
    for (const k of ['bad key', '-lead', 'a/b/c', 'Example.com/x', '/x', 'x/', 'a'.repeat(64), 'a\nb']) {
      expect(rules(labelViolations({ [k]: 'v' }))).toEqual(['label-key']);
    }
  });

  test('rule label-value: 63 characters, charset, ends and newlines', () => {
    for (const v of ['-lead', 'trail-', 'a b', 'a\nb', 'x'.repeat(64), 'ünicode']) {
      expect(rules(labelViolations({ app: v }))).toEqual(['label-value']);
    }
    expect(rules(labelViolations({ app: 3 as unknown as string }))).toEqual(['label-value']);
  });

  test('rule annotation-key: annotation keys are qualified names', () => {
    expect(rules(annotationViolations({ '/nope': 'x' }))).toEqual(['annotation-key']);
  });

  test('rule annotation-value: annotation values are text', () => {
    expect(rules(annotationViolations({ replicas: 3 as unknown as string }))).toEqual(['annotation-value']);
  });
});

describe('containers', () => {
  test('rule env-name: A=B, empty and leading digits are refused; dots and dashes are Kubernetes names', () => {
    for (const n of ['A=B', '', '1X', 'a b', 'X\n']) expect(rules(envNameViolations(n))).toEqual(['env-name']);
    for (const n of ['GIT_URL', 'my.var', 'my-var', '_x']) expect(envNameViolations(n)).toEqual([]);
  });

  test('rule image-reference: whitespace anywhere or an empty reference is refused', () => {
    for (const i of [' alpine:3.20', 'alpine:3.20 ', 'a b:1', '', 'a\tb']) expect(rules(imageViolations('image', i))).toEqual(['image-reference']);
    for (const i of ['alpine', 'gcr.io/kaniko-project/executor:v1.23.2@sha256:' + 'a'.repeat(64), '$(params.image)', 'localhost:5000/x']) {
      expect(imageViolations('image', i)).toEqual([]);
    }
  });

  test('rule data-key: ConfigMap and Secret keys', () => {
    for (const k of ['a/b', '', '.', '..x', 'a b']) expect(rules(dataKeyViolations('key', k))).toEqual(['data-key']);
    for (const k of ['token', '.dockerconfigjson', 'tls.crt', 'A_B-1']) expect(dataKeyViolations('key', k)).toEqual([]);
  });

  test('rule resource-quantity: the Kubernetes quantity grammar without a sign', () => {
    for (const q of ['NaN', '-1', '+1', '1 Gi', '', 'Infinity', '1GB', ' 1']) expect(rules(quantityViolations('cpu', q))).toEqual(['resource-quantity']);
    for (const q of ['500m', '2', '1.5', '1Gi', '1e3', '128M', '.5']) expect(quantityViolations('cpu', q)).toEqual([]);
  });

  test('assertValue throws the first violation with the construct path, or without one before a construct', () => {
    const chart = new Chart(Testing.app(), 'c');
    expect(() => assertValue(chart, envNameViolations('A=B'))).toThrow(/^\[c\] env var name "A=B" is not a valid environment variable name \(rule: env-name\)\. fix: /);
    try {
      assertValue(undefined, imageViolations('image', ' x'));
    } catch (e) {
      expect(e).toBeInstanceOf(SlipwayError);
      expect((e as SlipwayError).path).toBe('');
    }
    expect(() => assertValue(chart, [])).not.toThrow();
  });
});
