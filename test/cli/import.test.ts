import { parseAllDocuments } from 'yaml';
import { checkTexts } from '../../lib/cli/check';
import { importTexts } from '../../lib/cli/import';
import { needsUpgrade, upgradeValue } from '../../lib/cli/readers/tekton-v1beta1';
import { Input, fixtureSet } from './fixtures';
import { normalise, runGenerated, typeErrors } from './harness';

const SETS = ['tekton', 'forms', 'mesh', 'serverless', 'rollouts', 'legacy', 'other', 'delivery', 'triggers', 'nested', 'workloads'];
const imported = new Map(SETS.map((s) => [s, importTexts(fixtureSet(s), s)]));
// v1beta1 Tasks and Pipelines come back as the v1 documents slipway writes (the import says so in its summary)
const documents = (inputs: Input[]) => inputs.flatMap((i) => parseAllDocuments(i.text).map((d) => d.toJS()))
  .map((v) => (needsUpgrade(v) ? upgradeValue(v).value : v));

describe('round trip: import → strict type check → run → synth equals the input', () => {
  test('every generated module type-checks under strict', () => {
    expect(typeErrors(Object.fromEntries([...imported].map(([s, r]) => [`${s}.ts`, r.code])))).toEqual([]);
  });

  test.each(SETS)('%s: synth of the generated code equals the input (order and server defaults normalised)', (set) => {
    expect(normalise(runGenerated(imported.get(set)!.code))).toEqual(normalise(documents(fixtureSet(set))));
  });

  test('serverless: a multi-container revision through the typed API: the serving container and its sidecars', () => {
    const code = imported.get('serverless')!.code;
    expect(code).toContain("sidecars: [");
    expect(code).toContain("name: 'log-shipper',");
    expect(code).toContain("image: 'registry.example.com/auth-proxy:0.7.1',");
  });

  test.each(['tekton', 'forms', 'serverless'])('%s: every object through the typed API, no escape hatch, check reports nothing', (set) => {
    const r = imported.get(set)!;
    expect({ raw: r.raw, gaps: r.gaps, notes: r.notes.filter((n) => n.kind === 'escape-hatch') }).toEqual({ raw: 0, gaps: [], notes: [] });
    expect(r.externals).toEqual([]);
    expect(checkTexts(fixtureSet(set)).diagnostics).toEqual([]);
  });

  test('mesh: every Istio object (VirtualService, DestinationRule, ServiceEntry, Gateway) through the typed API; what it routes to is raw only where no reader exists; check reports nothing', () => {
    const r = imported.get('mesh')!;
    expect(r.code).toContain("new mesh.VirtualService(scope, 'payments', {");
    // The Services are typed; the Deployments leave out resources and security fields slipway would write: raw, by field.
    expect(r.gaps).toEqual([
      'test/fixtures/yaml/mesh/routes.yaml: Deployment "ingress-gateway": spec.template.spec.containers.0.resources',
      'test/fixtures/yaml/mesh/routes.yaml: Deployment "ingress-gateway": spec.template.spec.containers.0.securityContext',
      'test/fixtures/yaml/mesh/routes.yaml: Deployment "payments": spec.template.spec.containers.0.resources',
      'test/fixtures/yaml/mesh/routes.yaml: Deployment "payments": spec.template.spec.containers.0.securityContext',
    ]);
    expect(r.code).toContain("new mesh.DestinationRule(scope, 'payments-destinationrule', {");
    expect(r.code).toContain("new mesh.ServiceEntry(scope, 'payments-shadow', {");
    expect(r.code).toContain('location: mesh.ServiceEntryLocation.MESH_EXTERNAL');
    expect(r.code).toContain("new mesh.Gateway(scope, 'public-gateway', {");
    // metadata.namespace is the typed `namespace` prop of every Istio kind
    expect(r.code).toMatch(/name: 'public-gateway',\n\s+namespace: 'ingress',/);
    expect(r.code).toMatch(/name: 'payments-shadow',\n\s+namespace: 'payments',/);
    expect({ typed: r.typed, raw: r.raw, externals: r.externals }).toEqual({ typed: 6, raw: 2, externals: [] });
    expect(checkTexts(fixtureSet('mesh')).diagnostics).toEqual([]);
  });

  test('delivery: every Rollout (blueGreen, canary with Istio, NGINX and ALB routing) and analysis template through the typed API; templates given together are typed handles', () => {
    const r = imported.get('delivery')!;
    // only the kinds another reader builds (Services, a Deployment, Ingresses) may be raw
    expect(r.gaps.filter((g) => !/: kind (v1\/Service|apps\/v1\/Deployment|networking\.k8s\.io\/v1\/Ingress)$/.test(g))).toEqual([]);
    expect(r.externals).toEqual([]);
    expect(r.code).toContain('rollouts.RolloutStrategy.blueGreen({');
    expect(imported.get('rollouts')!.code).toContain("restartAt: rollouts.RestartTime.of('2026-12-01T23:00:00+01:00'),");
    // App Mesh routing and Kayenta judgements through their factories
    expect(imported.get('rollouts')!.code).toContain('trafficRouting: rollouts.TrafficRouting.appMesh({');
    expect(imported.get('rollouts')!.code).toContain('provider: rollouts.MetricProvider.kayenta({');
    expect({ raw: imported.get('rollouts')!.raw, gaps: imported.get('rollouts')!.gaps }).toEqual({ raw: 0, gaps: [] });
    expect(r.code).toContain('templates: [smokeTestTemplate]');
    expect(r.code).toContain('rollouts.TrafficRouting.istio({');
    expect(r.code).toContain('rollouts.TrafficRouting.nginx({');
    expect(r.code).toContain('rollouts.TrafficRouting.alb({');
    expect(r.code).toContain('rollouts.CanaryStep.experiment({');
    expect(r.code).toContain("rollouts.WorkloadRef.deployment({ name: 'storefront' }, rollouts.WorkloadScaleDown.PROGRESSIVELY)");
    expect(r.code).toMatch(/successRateTemplate\.addMetric\(\{/);
    // a count given as an args placeholder is the template's arg handle
    expect(r.code).toContain("count: successRateTemplate.arg('samples'),");
    expect(r.code).toContain("new rollouts.Experiment(scope, 'search-ranking', {");
  });

  test('triggers: EventListener (triggers, a trigger reference, a trigger group, its Deployment and Service), Trigger and Interceptor through the typed API; interceptors as their factories', () => {
    const r = imported.get('triggers')!;
    expect({ raw: r.raw, gaps: r.gaps, externals: r.externals }).toEqual({ raw: 0, gaps: [], externals: [] });
    expect(r.code).toContain("tekton.Interceptor.github({ secretName: 'github-webhook', secretKey: 'token' }).withName('verify')");
    expect(r.code).toContain("tekton.Interceptor.gitlab({ secretName: 'gitlab-webhook', eventTypes: ['Tag Push Hook'] })");
    // the namespaced Interceptor given together is its typed handle
    expect(r.code).toContain("releaseNotesInterceptor.ref({ channel: 'releases' })");
    expect(r.code).toContain("overlays: { 'short-sha': 'body.after.truncate(7)' },");
    expect(r.code).toContain('tekton.Interceptor.webhook({');
    expect(r.code).toMatch(/bindings: \[\s*pushFieldsBinding,\s*senderBinding,\s*tekton\.TriggerBindingRef\.param\('short-sha'/);
    expect(r.code).toContain('template: buildOnPushTemplate');
    expect(r.code).toContain('addTriggerRef(bitbucketPushTrigger)');
    expect(r.code).toContain("addTriggerGroup('team-triggers', {");
    // a v1beta1 PipelineRun among the resource templates is built as v1, and the summary says so
    expect(r.notes.filter((n) => n.kind === 'conversion').map((n) => n.text)).toEqual([expect.stringMatching(
      /^TriggerTemplate "build-on-push" .* has tekton\.dev\/v1beta1 runs in its resourcetemplates: .*\(serviceAccountName → taskRunTemplate\.serviceAccountName, timeout → timeouts\.pipeline\)$/)]);
    expect(checkTexts(fixtureSet('triggers')).diagnostics).toEqual([]);
  });

  test('nested: v1beta1 Task, Pipeline, PipelineRun and TaskRun built as v1 (said in the summary); pipelines in pipelines by reference and inline; CustomRuns', () => {
    const r = imported.get('nested')!;
    expect({ raw: r.raw, gaps: r.gaps, externals: r.externals }).toEqual({ raw: 0, gaps: [], externals: [] });
    expect(r.notes).toEqual([
      { kind: 'conversion', text: expect.stringMatching(/^Pipeline "checks" .* is tekton\.dev\/v1beta1: the code builds it as tekton\.dev\/v1, .*\(resources → computeResources\)$/) },
      { kind: 'conversion', text: expect.stringMatching(/^PipelineRun "checks-nightly-" .*\(serviceAccountName → taskRunTemplate\.serviceAccountName, podTemplate → taskRunTemplate\.podTemplate, timeout → timeouts\.pipeline\)$/) },
      { kind: 'conversion', text: expect.stringMatching(/^TaskRun "lint-main" .*\(stepOverrides → stepSpecs, resources → computeResources\)$/) },
      { kind: 'conversion', text: expect.stringMatching(/^Task "lint" .* is tekton\.dev\/v1beta1: the code builds it as tekton\.dev\/v1/) },
    ]);
    for (const n of r.notes) expect(r.code).toContain(`// conversion: ${n.text}`);
    expect(r.code).toContain("pipelineRef: tekton.PipelineRef.named('checks', checksPipeline.interface)");
    expect(r.code).toContain('apiFields: tekton.ApiFields.ALPHA');
    expect(r.code).toMatch(/pipelineSpec: notifyPipelineSpec/);
    expect(r.code).toContain("new tekton.CustomRun(scope, 'approve-release-42', {");
    expect(r.code).toContain("timeouts: { pipeline: Duration.parse('45m') },");
    expect(r.code).toContain("stepSpecs: { lint: { requests: { cpu: '500m', memory: '512Mi' } } },");
    expect(checkTexts(fixtureSet('nested')).diagnostics).toEqual([]);
  });

  test('references between files become typed handles', () => {
    const code = imported.get('tekton')!.code;
    expect(code).toContain('taskRef: goBuildTask.ref');
    expect(code).toContain('pipeline: paymentsCiPipeline');
    expect(code).toContain('runAfter: [clone]');
    expect(code).toContain('PACKAGE: tekton.EnvValue.fromExpression(packageParam)');
    const forms = imported.get('forms')!.code;
    expect(forms).toMatch(/artifact: tekton\.ParamValue\.of\(publish\.result\('location'\)\.key\('url'\)\)/);
    expect(forms).toContain("CHART_NAME: tekton.EnvValue.fromExpression(chartParam.key('name'))");
  });

  test('the same input gives byte-identical code', () => {
    expect(importTexts(fixtureSet('forms'), 'forms').code).toBe(imported.get('forms')!.code);
  });
});

describe('behaviour is kept where secure defaults would change it, and said', () => {
  const r = imported.get('legacy')!;

  test('a sidecar context slipway would tighten: the Task is raw, named with the fields; the run keeps its opt-outs', () => {
    // slipway writes drop ALL, seccomp RuntimeDefault and runAsNonRoot on every sidecar: dind would not start.
    expect(r.gaps).toEqual(['test/fixtures/yaml/legacy/image-build.yaml: Task "docker-build": spec.sidecars.0.securityContext']);
    expect(r.notes[0]).toEqual({ kind: 'escape-hatch', text: expect.stringContaining(
      'Task "docker-build" is written as a raw cdk8s.ApiObject: sidecar "dind" leaves out runAsNonRoot, allowPrivilegeEscalation, capabilities.drop, seccompProfile') });
    expect(r.code).toMatch(/allowSharedWrites: true, \/\/ opt-out: the file shares claim "web-sources"/);
    expect(r.code).toContain('securityContext: {}');
    expect(r.notes.map((n) => n.kind)).toEqual(['escape-hatch', 'opt-out', 'opt-out']);
    for (const n of r.notes) expect(r.code).toContain(`// ${n.kind}: ${n.text}`);
  });

  test('root image, privileged sidecar, param in a script: explicit opt-outs with the reason', () => {
    // the same Task with a sidecar context slipway writes as given stays typed, with its opt-outs
    const inputs = fixtureSet('legacy').map((i) => ({ ...i, text: i.text.replace('        privileged: true\n',
      '        privileged: true\n        runAsNonRoot: false\n        allowPrivilegeEscalation: true\n        capabilities:\n          drop: ["ALL"]\n'
      + '        seccompProfile:\n          type: RuntimeDefault\n') }));
    const typed = importTexts(inputs);
    expect(typed.raw).toBe(0);
    expect(typed.code).toMatch(/allowUnsafeScriptSubstitution: true, \/\/ opt-out: the file pastes/);
    expect(typed.code).toMatch(/allowPrivileged: true, \/\/ opt-out: the file runs sidecar "dind" privileged/);
    expect(typed.code).toMatch(/allowSharedWrites: true, \/\/ opt-out: the file shares claim "web-sources"/);
    expect(typed.notes.map((n) => n.kind)).toEqual(['opt-out', 'opt-out', 'opt-out', 'opt-out', 'opt-out']);
    for (const n of typed.notes) expect(typed.code).toContain(`// opt-out: ${n.text}`);
    expect(normalise(runGenerated(typed.code))).toEqual(normalise(documents(inputs)));
  });

  test('check on the same file reports the rules those opt-outs silence', () => {
    expect(checkTexts(fixtureSet('legacy')).diagnostics.map((d) => d.rule)).toEqual(['script-injection', 'privileged-step', 'shared-pvc']);
  });

  test('an opt-out is written only where the rule fires', () => {
    expect(imported.get('tekton')!.code).not.toMatch(/allow(Privileged|UnsafeScriptSubstitution|SharedWrites)/);
  });
});

describe('forms the readers take as the API server defaults them', () => {
  test('Triggers bindings and interceptor refs without kind: typed, and synth equals the input with the server defaults', () => {
    const inputs = fixtureSet('triggers').map((i) => ({ ...i, text: i.text.replace(/\n +kind: (TriggerBinding|ClusterInterceptor)(?=\n)/g, '') }));
    expect(inputs.map((i) => i.text).join('')).not.toMatch(/\n +kind: (TriggerBinding|ClusterInterceptor)\n/);
    const r = importTexts(inputs);
    expect({ raw: r.raw, gaps: r.gaps }).toEqual({ raw: 0, gaps: [] });
    expect(normalise(runGenerated(r.code))).toEqual(normalise(documents(inputs)));
  });

  test('a v1beta1 Task with a field v1 removed (PipelineResources) is raw as written, with no conversion note', () => {
    const inputs = fixtureSet('nested').filter((i) => !i.file.endsWith('legacy-runs.yaml')).map((i) => (i.file.endsWith('lint-task.yaml')
      ? { ...i, text: i.text.replace('  workspaces:\n', '  resources:\n    inputs:\n      - name: repo\n        type: git\n  workspaces:\n') } : i));
    const r = importTexts(inputs);
    expect(r.gaps).toEqual([expect.stringMatching(/lint-task\.yaml: Task "lint": spec\.resources$/)]);
    expect(r.code).toContain("apiVersion: 'tekton.dev/v1beta1'");
    expect(r.notes.filter((n) => n.kind === 'conversion').map((n) => n.text)).toEqual([expect.stringMatching(/^Pipeline "checks"/)]);
    // the typed Pipeline comes back as v1, the raw Task as written
    const expected = inputs.flatMap((i) => parseAllDocuments(i.text).map((d) => d.toJS()))
      .map((v) => (v.kind === 'Pipeline' && v.apiVersion === 'tekton.dev/v1beta1' ? upgradeValue(v).value : v));
    expect(normalise(runGenerated(r.code))).toEqual(normalise(expected));
  });
});

describe('what the typed API cannot express yet', () => {
  test('a Knative Service whose first container is a portless sidecar: check warns at its ports and runs the schema; import writes it raw, named', () => {
    const inputs = fixtureSet('serverless').map((i) => ({ ...i, text: i.text.replace('          ports:\n            - containerPort: 8080\n', '') }));
    const report = checkTexts(inputs);
    const line = inputs[0].text.split('\n').indexOf('        - name: resizer') + 1;
    expect(report.diagnostics.map((d) => `${d.rule}:${d.severity}:${d.line}`)).toEqual([`not-modelled:warning:${line}`]);
    const r = importTexts(inputs);
    expect(r.gaps).toEqual([expect.stringMatching(/thumbnails\.yaml: Service "resizer": spec\.template\.spec\.containers\.0\.ports$/)]);
    expect(normalise(runGenerated(r.code))).toEqual(normalise(documents(inputs)));
  });
});

describe('objects in none of the files', () => {
  // The VirtualService alone: its Gateway, Services, subsets and mirror host are not given.
  const alone = fixtureSet('mesh').map((i) => ({ ...i, text: i.text.slice(0, i.text.indexOf('\n---\n') + 1) }));

  test('check reports each reference to nothing, as istioctl analyze does (IST0101)', () => {
    expect(checkTexts(alone).diagnostics.map((d) => `${d.rule}:${d.line}`)).toEqual([
      // a subset of a host that is not found is not looked up (the host finding says it)
      'istio-gateway-not-found:9', 'istio-host-not-found:22', 'istio-host-not-found:48', 'istio-host-not-found:52',
      'istio-host-not-found:66', 'istio-host-not-found:79',
    ]);
  });

  test('import declares each target once with delivery.ExternalObject, lists it, and synth gives back the input', () => {
    const r = importTexts(alone, 'alone');
    expect(r.externals).toEqual([
      expect.stringMatching(/^Gateway ingress\/public-gateway, referred to by VirtualService "payments" \(test\/fixtures\/yaml\/mesh\/routes\.yaml\), is in none of the files/),
      expect.stringMatching(/^mesh host payments, referred to by/),
      expect.stringMatching(/^mesh host payments-shadow\.staging\.example\.com, referred to by/),
      expect.stringMatching(/^mesh host payments-db, referred to by/),
    ]);
    expect(r.code).toContain("delivery.ExternalObject.gateway(scope, 'external-gateway-ingress-public-gateway', 'ingress/public-gateway');");
    expect(r.code).toContain("delivery.ExternalObject.hosts(scope, 'external-mesh-host-payments', ['payments']);");
    for (const x of r.externals) expect(r.code).toContain(`// external: ${x}`);
    expect(normalise(runGenerated(r.code))).toEqual(normalise(documents(alone)));
  });
});

describe('objects in none of the files: other kinds', () => {
  // The Rollout alone: its canary and stable Services are not given.
  const rollout = fixtureSet('rollouts').filter((i) => i.file.endsWith('api-canary.yaml')).map((i) => ({ ...i, text: i.text.slice(0, i.text.indexOf('\n---\n') + 1) }));

  test('check reports each missing Service at its field', () => {
    expect(checkTexts(rollout).diagnostics.map((d) => `${d.rule}:${d.line}`)).toEqual(['reference-service:30', 'reference-service:31']);
  });

  test('import declares them with the ExternalObject constructor, and synth gives back the Rollout', () => {
    const r = importTexts(rollout, 'rollout');
    expect(r.externals).toEqual([
      expect.stringMatching(/^Service api-canary, referred to by Rollout "api"/),
      expect.stringMatching(/^Service api-stable, referred to by Rollout "api"/),
    ]);
    expect(r.code).toContain("new delivery.ExternalObject(scope, 'external-service-api-canary', { group: '', kind: 'Service', name: 'api-canary' });");
    expect(normalise(runGenerated(r.code))).toEqual(normalise(documents(rollout)));
  });
});

describe('escape hatches', () => {
  test('kinds without a typed construct are raw ApiObjects, each listed in the header and the summary', () => {
    const r = imported.get('other')!;
    expect(r.raw).toBe(1);
    expect(r.gaps).toEqual([
      expect.stringContaining('Deployment "web": spec.template.spec.containers.0.securityContext'),
    ]);
    expect(r.notes.map((n) => n.kind)).toEqual(['opt-out', 'escape-hatch']);
    for (const n of r.notes) expect(r.code).toContain(`// ${n.kind}: ${n.text}`);
    expect(r.code).toContain("new cdk8s.ApiObject(scope, 'web-deployment', {");
  });

  test('a field the typed API lacks makes that document raw, named in the summary; the rest stays typed', () => {
    const inputs = fixtureSet('tekton').map((i) => (i.file.endsWith('deploy-task.yaml')
      ? { ...i, text: i.text.replace('  name: kubectl-deploy\n', '  name: kubectl-deploy\n  annotations:\n    owner: platform\n') } : i));
    const r = importTexts(inputs);
    expect(r.gaps).toEqual([expect.stringMatching(/deploy-task\.yaml: Task "kubectl-deploy": metadata\.annotations$/)]);
    expect(r.raw).toBe(1);
    expect(r.code).toContain("taskRef: tekton.TaskRef.named('kubectl-deploy')");
    expect(normalise(runGenerated(r.code))).toEqual(normalise(documents(inputs)));
  });
});
