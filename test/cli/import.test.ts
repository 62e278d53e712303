import { parseAllDocuments } from 'yaml';
import { checkTexts } from '../../lib/cli/check';
import { importTexts } from '../../lib/cli/import';
import { Input, fixtureSet } from './fixtures';
import { normalise, runGenerated, typeErrors } from './harness';

const SETS = ['tekton', 'forms', 'mesh', 'serverless', 'rollouts', 'legacy', 'other', 'workloads'];
const imported = new Map(SETS.map((s) => [s, importTexts(fixtureSet(s), s)]));
const documents = (inputs: Input[]) => inputs.flatMap((i) => parseAllDocuments(i.text).map((d) => d.toJS()));

describe('round trip: import → strict type check → run → synth equals the input', () => {
  test('every generated module type-checks under strict', () => {
    expect(typeErrors(Object.fromEntries([...imported].map(([s, r]) => [`${s}.ts`, r.code])))).toEqual([]);
  });

  test.each(SETS)('%s: synth of the generated code equals the input (order and server defaults normalised)', (set) => {
    expect(normalise(runGenerated(imported.get(set)!.code))).toEqual(normalise(documents(fixtureSet(set))));
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
    expect({ typed: r.typed, raw: r.raw, externals: r.externals }).toEqual({ typed: 6, raw: 2, externals: [] });
    expect(checkTexts(fixtureSet('mesh')).diagnostics).toEqual([]);
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
      expect.stringMatching(/^Gateway public-gateway, referred to by VirtualService "payments" \(test\/fixtures\/yaml\/mesh\/routes\.yaml\), is in none of the files/),
      expect.stringMatching(/^mesh host payments, referred to by/),
      expect.stringMatching(/^mesh host payments-shadow\.staging\.example\.com, referred to by/),
      expect.stringMatching(/^mesh host payments-db, referred to by/),
    ]);
    expect(r.code).toContain("delivery.ExternalObject.gateway(scope, 'external-gateway-public-gateway', 'public-gateway');");
    expect(r.code).toContain("delivery.ExternalObject.hosts(scope, 'external-mesh-host-payments', ['payments']);");
    for (const x of r.externals) expect(r.code).toContain(`// external: ${x}`);
    expect(normalise(runGenerated(r.code))).toEqual(normalise(documents(alone)));
  });
});

describe('objects in none of the files: other kinds', () => {
  // The Rollout alone: its canary and stable Services are not given.
  const rollout = fixtureSet('rollouts').map((i) => ({ ...i, text: i.text.slice(0, i.text.indexOf('\n---\n') + 1) }));

  test('check reports each missing Service at its field', () => {
    expect(checkTexts(rollout).diagnostics.map((d) => `${d.rule}:${d.line}`)).toEqual(['reference-service:29', 'reference-service:30']);
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
