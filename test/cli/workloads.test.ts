import { parseAllDocuments } from 'yaml';
import { checkTexts } from '../../lib/cli/check';
import { importTexts } from '../../lib/cli/import';
import { Input, fixtureSet, lineOf, mutate } from './fixtures';
import { normalise, runGenerated, typeErrors } from './harness';

const inputs = fixtureSet('workloads');
const imported = importTexts(inputs, 'workloads');
const documents = (list: Input[]) => list.flatMap((i) => parseAllDocuments(i.text).map((d) => d.toJS()));
/** Secrets never come back: their data stays out of code. */
const withoutSecrets = (docs: any[]) => docs.filter((d) => d.kind !== 'Secret');

describe('core workloads: import → strict type check → synth equals the input', () => {
  test('the generated module type-checks under strict', () => {
    expect(typeErrors({ 'workloads.ts': imported.code })).toEqual([]);
  });

  test('synth of the generated code equals the input (order and server defaults normalised)', () => {
    expect(normalise(runGenerated(imported.code))).toEqual(normalise(withoutSecrets(documents(inputs))));
  });

  test('every object through the typed API; check reports nothing', () => {
    expect({ raw: imported.raw, gaps: imported.gaps, externals: imported.externals }).toEqual({ raw: 0, gaps: [], externals: [] });
    expect(checkTexts(inputs).diagnostics).toEqual([]);
  });
});

describe('check runs the workload rules on the files, each at its line', () => {
  // [rule, file, from, to, marker of the line the finding is at (in the mutated file)]
  const cases: Array<[string, string, string, string, string]> = [
    ['cron-schedule', 'nightly.yaml', 'schedule: "30 2 * * *"', 'schedule: "30 25 * * *"', 'schedule:'],
    ['cron-time-zone', 'nightly.yaml', 'timeZone: Europe/Berlin', 'timeZone: Mars/Olympus', 'timeZone:'],
    ['reference-workload', 'shop.yaml', '    kind: Deployment\n    name: catalog\n', '    kind: Deployment\n    name: catalogue\n', 'scaleTargetRef:'],
    ['selector-matches-template', 'legacy-web.yaml', '      app: frontend\n      tier: web\n  strategy', '      app: frontend\n      tier: api\n  strategy', 'tier: api'],
    ['label-value', 'shop.yaml', 'app.kubernetes.io/version: 2.14.1', `app.kubernetes.io/version: 2.14.1-${'x'.repeat(60)}`, 'app.kubernetes.io/version:'],
    ['selector-matches-pods', 'legacy-web.yaml', '  selector:\n    app: frontend\n  ports', '  selector:\n    app: frontnd\n  ports', 'app: frontnd'],
    ['selector-matches-pods', 'shop.yaml', 'maxUnavailable: 1\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: catalog', 'maxUnavailable: 1\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: catalog-v2', 'catalog-v2'],
    ['reference-config', 'shop.yaml', 'name: catalog-settings\n                  key: LOG_LEVEL', 'name: catalog-setings\n                  key: LOG_LEVEL', 'catalog-setings'],
    ['requests-within-limits', 'nightly.yaml', 'memory: 512Mi\n                limits:', 'memory: 1Gi\n                limits:', 'memory: 512Mi'],
    ['node-port-range', 'legacy-web.yaml', 'nodePort: 30080', 'nodePort: 8080', 'nodePort:'],
    ['port-name', 'shop.yaml', '- name: metrics\n              containerPort: 9090', '- name: metrics_port\n              containerPort: 9090', 'metrics_port'],
    ['pod-security-restricted', 'legacy-web.yaml', '            allowPrivilegeEscalation: false\n', '            privileged: true\n            allowPrivilegeEscalation: false\n', 'privileged: true'],
    ['hpa-max-replicas', 'shop.yaml', 'minReplicas: 2\n  maxReplicas: 12', 'minReplicas: 12\n  maxReplicas: 2', 'minReplicas: 12'],
    // the message names the prop (cpuUtilization), not a field of the file: at the document
    ['hpa-utilization', 'shop.yaml', 'averageUtilization: 70', 'averageUtilization: 0', 'apiVersion: autoscaling/v2'],
    ['config-key', 'shop.yaml', '  LOG_LEVEL: info', '  "LOG LEVEL": info', 'data:\n  "LOG LEVEL"'],
    ['probe-success-threshold', 'shop.yaml', 'periodSeconds: 5\n            failureThreshold: 30', 'periodSeconds: 5\n            successThreshold: 2\n            failureThreshold: 30', 'startupProbe:'],
    ['restart-policy', 'nightly.yaml', 'restartPolicy: OnFailure', 'restartPolicy: Always', 'restartPolicy: Always'],
    ['schema', 'nightly.yaml', '  completionMode: Indexed\n', '  completionMode: Indexed\n  parallelismx: 1\n', 'parallelismx'],
  ];

  const found = (mutated: Input[]) => checkTexts(mutated).diagnostics.map((d) => `${d.rule}:${d.file.split('/').pop()}:${d.line}`);

  test.each(cases)('rule %s: %s mutated is reported at its line', (rule, file, from, to, marker) => {
    const mutated = mutate(inputs, file, from, to);
    expect(found(mutated)).toEqual([`${rule}:${file}:${lineOf(mutated, file, marker)}`]);
  });

  test('rule probe-port: an httpGet probe without a port, at the probe (the schema requires the port too)', () => {
    const mutated = mutate(inputs, 'legacy-web.yaml', '              path: /\n              port: 80\n', '              path: /\n');
    expect(found(mutated)).toEqual([`probe-port:legacy-web.yaml:${lineOf(mutated, 'legacy-web.yaml', 'readinessProbe:')}`,
      `schema:legacy-web.yaml:${lineOf(mutated, 'legacy-web.yaml', 'path: /')}`]);
  });
});
