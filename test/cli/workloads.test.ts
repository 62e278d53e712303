import { parseAllDocuments } from 'yaml';
import { checkTexts } from '../../lib/cli/check';
import { importTexts } from '../../lib/cli/import';
import { Input, fixtureSet, lineOf, mutate } from './fixtures';
import { normalise, runGenerated } from './harness';

// The strict type check of the generated module runs in import.test.ts, batched with the other sets.
const inputs = fixtureSet('workloads');
const imported = importTexts(inputs, 'workloads');
/** With the Secrets the workloads name: the set `check` sees (import leaves Secrets out of the code). */
const all = [...inputs, ...fixtureSet('workloads-secrets')];
const documents = (list: Input[]) => list.flatMap((i) => parseAllDocuments(i.text).map((d) => d.toJS()));

describe('core workloads: import → synth equals the input', () => {
  test('every object through the typed API; the Secrets it refers to by name are listed; check reports nothing', () => {
    expect({ raw: imported.raw, gaps: imported.gaps, externals: imported.externals }).toEqual({ raw: 0, gaps: [], externals: [] });
    expect(imported.notes.filter((n) => n.kind === 'escape-hatch').map((n) => n.text)).toEqual([
      'Deployment "catalog" refers to Secret "catalog-db", which is in none of the files: referred to by name with kplus.Secret.fromSecretName()',
      'Ingress "storefront" refers to Secret "shop-example-tls", which is in none of the files: referred to by name with kplus.Secret.fromSecretName()',
    ]);
    expect(checkTexts(all).diagnostics).toEqual([]);
  });

  test('rule reference-config: check reports each Secret in none of the files at the field naming it', () => {
    expect(checkTexts(inputs).diagnostics.map((d) => `${d.rule}:${d.file.split('/').pop()}:${d.line}`)).toEqual([
      `reference-config:edge.yaml:${lineOf(inputs, 'edge.yaml', 'secretName: shop-example-tls')}`,
      // the app-wide check names the env list of the init container
      `reference-config:shop.yaml:${lineOf(inputs, 'shop.yaml', 'env:\n            - name: DATABASE_URL')}`,
    ]);
  });

  test('typed handles: volumes and env take the ConfigMap or claim construct, the HPA scales the Deployment, the Ingress routes to the Service', () => {
    expect(imported.code).toContain("kplus.Volume.fromPersistentVolumeClaim(scope, 'log-shipper-volume-state', logShipperStateClaim, { name: 'state' })");
    expect(imported.code).toContain("storefrontIngress.addHostRule('shop.example.com', '/api/catalog', kplus.IngressBackend.fromService(catalogService, { port: 80 }), kplus.HttpIngressPathType.PREFIX);");
    expect(imported.code).toContain('kplus.Volume.fromConfigMap(scope, \'catalog-volume-config\', catalogSettingsConfig, { name: \'config\' })');
    expect(imported.code).toContain("LOG_LEVEL: kplus.EnvValue.fromConfigMap(catalogSettingsConfig, 'LOG_LEVEL')");
    expect(imported.code).toContain('target: workloads.ScaleTarget.fromWorkload(catalogDeployment)');
    expect(imported.code).toContain('delivery.AppReferences.check(cdk8s.Chart.of(scope));');
  });

  test('a root image keeps running as root: PodSecurity.baseline with the reason, listed', () => {
    expect(imported.code).toContain("podSecurity: workloads.PodSecurity.baseline('imported as written: container \"nginx\" does not set runAsNonRoot: true')");
    expect(imported.notes).toContainEqual({ kind: 'opt-out', text: expect.stringMatching(/^Deployment "frontend": its pods do not meet Pod Security "restricted" .*PodSecurity\.baseline\(\)/) });
    for (const n of imported.notes) expect(imported.code).toContain(`// ${n.kind}: ${n.text}`);
  });

  test('the same input gives byte-identical code', () => {
    expect(importTexts(inputs, 'workloads').code).toBe(imported.code);
  });
});

describe('Secrets are references only', () => {
  const withSecret = all;
  const r = importTexts(withSecret, 'secrets');

  test('secret data never enters the code: the Secret is referred to by name, and the summary says to create it outside', () => {
    expect(r.code).not.toContain('not-a-real-password');
    expect(r.code).not.toContain('bm90LWEtcmVhbC1rZXk=');
    expect(r.code).toContain("const catalogDbSecret = kplus.Secret.fromSecretName(scope, 'catalog-db', 'catalog-db');");
    expect(r.notes).toContainEqual({ kind: 'escape-hatch', text: expect.stringMatching(/^Secret "catalog-db" is not written: secret data never goes into code/) });
    // everything else comes back
    expect(normalise(runGenerated(r.code))).toEqual(normalise(documents(withSecret).filter((d) => d.kind !== 'Secret')));
  });

  test('check reads the Secret with the rest: nothing to report', () => {
    expect(checkTexts(withSecret).diagnostics).toEqual([]);
  });
});

describe('several image pull secrets', () => {
  const pulls = mutate(all, 'legacy-web.yaml', `    spec:
      containers:
        - name: nginx`, `    spec:
      imagePullSecrets:
        - name: mirror-pull
        - name: vendor-pull
      containers:
        - name: nginx`);
  test('import writes them through imagePullSecrets, in order; synth gives back the input', () => {
    const r = importTexts(pulls, 'pulls');
    expect(r.gaps).toEqual([]);
    expect(r.code).toMatch(/imagePullSecrets: \[\s*kplus\.Secret\.fromSecretName\(scope, '[^']+', 'mirror-pull'\),\s*kplus\.Secret\.fromSecretName\(scope, '[^']+', 'vendor-pull'\),?\s*\]/);
    expect(normalise(runGenerated(r.code))).toEqual(normalise(documents(pulls).filter((d) => d.kind !== 'Secret')));
  });
});

describe('what the typed API cannot write as given is raw, named by field', () => {
  // A container with no securityContext and no resources: slipway would add allowPrivilegeEscalation: false,
  // seccomp RuntimeDefault and default requests at any level.
  const bare = mutate(all, 'legacy-web.yaml', `          resources:
            requests:
              cpu: 100m
              memory: 64Mi
`, '').map((i) => (i.file.endsWith('legacy-web.yaml') ? { ...i, text: i.text.replace(`          securityContext:
            allowPrivilegeEscalation: false
            seccompProfile:
              type: RuntimeDefault
`, '') } : i));

  test('import writes that Deployment raw and lists the fields; synth still gives back the input', () => {
    const r = importTexts(bare, 'bare');
    expect(r.gaps).toEqual([
      'test/fixtures/yaml/workloads/legacy-web.yaml: Deployment "frontend": spec.template.spec.containers.0.resources',
      'test/fixtures/yaml/workloads/legacy-web.yaml: Deployment "frontend": spec.template.spec.containers.0.securityContext',
    ]);
    expect(r.raw).toBe(1);
    expect(normalise(runGenerated(r.code))).toEqual(normalise(documents(bare).filter((d) => d.kind !== 'Secret')));
  });

  test('check still runs every rule on it (reading it at slipway\'s defaults): nothing to report', () => {
    expect(checkTexts(bare).diagnostics).toEqual([]);
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
    ['reference-config', 'shop.yaml', 'name: catalog-settings\n                  key: LOG_LEVEL', 'name: catalog-setings\n                  key: LOG_LEVEL', 'key: LOG_LEVEL'],
    ['requests-within-limits', 'nightly.yaml', 'memory: 512Mi\n                limits:', 'memory: 1Gi\n                limits:', 'memory: 512Mi'],
    ['node-port-range', 'legacy-web.yaml', 'nodePort: 30080', 'nodePort: 8080', 'nodePort:'],
    ['port-name', 'shop.yaml', '- name: metrics\n              containerPort: 9090', '- name: metrics_port\n              containerPort: 9090', 'metrics_port'],
    ['pod-security-restricted', 'legacy-web.yaml', '            allowPrivilegeEscalation: false\n', '            privileged: true\n            allowPrivilegeEscalation: false\n', 'privileged: true'],
    ['hpa-max-replicas', 'shop.yaml', 'minReplicas: 2\n  maxReplicas: 12', 'minReplicas: 12\n  maxReplicas: 2', 'maxReplicas: 2'],
    // the message names the prop (cpuUtilization), not a field of the file: at the document
    ['hpa-utilization', 'shop.yaml', 'averageUtilization: 70', 'averageUtilization: 0', 'apiVersion: autoscaling/v2'],
    ['config-key', 'shop.yaml', '  LOG_LEVEL: info', '  "LOG LEVEL": info', 'data:\n  "LOG LEVEL"'],
    ['probe-success-threshold', 'shop.yaml', 'periodSeconds: 5\n            failureThreshold: 30', 'periodSeconds: 5\n            successThreshold: 2\n            failureThreshold: 30', 'successThreshold: 2'],
    ['restart-policy', 'nightly.yaml', 'restartPolicy: OnFailure', 'restartPolicy: Always', 'restartPolicy: Always'],
    ['ingress-path', 'edge.yaml', '- path: /api/catalog', '- path: api/catalog', 'path: api/catalog'],
    ['reference-service', 'edge.yaml', 'name: catalog\n                port:\n                  number: 80\n          - path: /healthz',
      'name: catalogue\n                port:\n                  number: 80\n          - path: /healthz', 'service:'],
    ['reference-service', 'edge.yaml', 'name: catalog\n                port:\n                  number: 80\n          - path: /healthz',
      'name: catalog\n                port:\n                  number: 8080\n          - path: /healthz', 'service:'],
    ['rwop-exclusive', 'node-agent.yaml', 'accessModes: ["ReadWriteMany"]', 'accessModes: ["ReadWriteOncePod", "ReadWriteMany"]', 'accessModes:'],
    ['headless-type', 'orders-db.yaml', '  clusterIP: None\n', '  clusterIP: None\n  type: NodePort\n', 'type: NodePort'],
    // at the level the file chose, which its hostPath volume breaks
    ['pod-security-baseline', 'node-agent.yaml', 'slipway.dev/pod-security-level: privileged', 'slipway.dev/pod-security-level: baseline', 'pod-security-level: baseline'],
    ['namespace-reserved', 'shop.yaml', '  name: shop\n  labels:\n    team: storefront', '  name: kube-shop\n  labels:\n    team: storefront', 'apiVersion: v1\nkind: Namespace'],
    ['schema', 'nightly.yaml', '  completionMode: Indexed\n', '  completionMode: Indexed\n  parallelismx: 1\n', 'parallelismx'],
  ];

  const found = (mutated: Input[]) => checkTexts(mutated).diagnostics.map((d) => `${d.rule}:${d.file.split('/').pop()}:${d.line}`);

  test.each(cases)('rule %s: %s mutated is reported at its line', (rule, file, from, to, marker) => {
    const mutated = mutate(all, file, from, to);
    expect(found(mutated)).toEqual([`${rule}:${file}:${lineOf(mutated, file, marker)}`]);
  });

  test('rule probe-port: an httpGet probe without a port, at the probe (the schema requires the port too)', () => {
    const mutated = mutate(all, 'legacy-web.yaml', '              path: /\n              port: 80\n', '              path: /\n');
    expect(found(mutated)).toEqual([`probe-port:legacy-web.yaml:${lineOf(mutated, 'legacy-web.yaml', 'readinessProbe:')}`,
      `schema:legacy-web.yaml:${lineOf(mutated, 'legacy-web.yaml', 'path: /')}`]);
  });
});
