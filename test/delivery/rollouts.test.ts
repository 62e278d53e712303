import { Chart, Testing } from 'cdk8s';
import { Duration } from '../../lib/core';
import * as r from '../../lib/delivery/rollouts';
import { rolloutsChart } from './fixtures';
import * as v from '../../lib/delivery/rollouts/validation';

const byName = (docs: any[], kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata.name === name);

describe('Argo Rollouts constructs', () => {
  const docs = Testing.synth(rolloutsChart());

  test('every valid form synthesizes (all rules pass) and the output is stable', () => {
    expect(docs).toMatchSnapshot();
  });

  test('canary steps render every step kind, in order, including late addStep()', () => {
    const steps = byName(docs, 'Rollout', 'web').spec.strategy.canary.steps;
    expect(steps.map((s: any) => Object.keys(s)[0])).toEqual([
      'setHeaderRoute', 'setMirrorRoute', 'setCanaryScale', 'setWeight', 'pause', 'analysis', 'experiment',
      'setCanaryScale', 'setCanaryScale', 'setHeaderRoute', 'setMirrorRoute', 'pause', 'setWeight',
    ]);
    expect(steps[4]).toEqual({ pause: { duration: '30s' } });
    expect(steps[11]).toEqual({ pause: {} });
    expect(steps[5].analysis.args[1]).toEqual({ name: 'hash', valueFrom: { podTemplateHashValue: 'Latest' } });
  });

  test('traffic routing, surge, background analysis and scale-down settings land where the controller reads them', () => {
    const c = byName(docs, 'Rollout', 'web').spec.strategy.canary;
    expect(c.trafficRouting).toEqual({ istio: { virtualService: { name: 'web', routes: ['primary'] } }, managedRoutes: [{ name: 'testers' }, { name: 'shadow' }] });
    expect([c.maxSurge, c.maxUnavailable, c.abortScaleDownDelaySeconds, c.dynamicStableScale]).toEqual(['50%', 0, 0, true]);
    expect(c.analysis).toEqual({ templates: [{ templateName: 'error-budget', clusterScope: true }], startingStep: 2 });
    const api = byName(docs, 'Rollout', 'api').spec;
    expect(api.workloadRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', scaleDown: 'onsuccess' });
    expect(api.selector).toEqual({ matchLabels: { app: 'api' } });
    expect(api.template).toBeUndefined();
    expect(api.strategy.canary.trafficRouting.istio.destinationRule).toEqual({ name: 'api', canarySubsetName: 'canary', stableSubsetName: 'stable' });
  });

  test('blue-green renders services, promotion and both analyses', () => {
    const bg = byName(docs, 'Rollout', 'cart').spec.strategy.blueGreen;
    expect(bg).toMatchObject({ activeService: 'cart', previewService: 'cart-preview', autoPromotionSeconds: 300, scaleDownDelaySeconds: 120,
      prePromotionAnalysis: { templates: [{ templateName: 'smoke' }] } });
  });

  test('analysis templates render args, providers and dry-run', () => {
    const smoke = byName(docs, 'AnalysisTemplate', 'smoke').spec;
    expect(smoke.args).toEqual([{ name: 'token', valueFrom: { secretKeyRef: { name: 'smoke-token', key: 'token' } } }, { name: 'ns', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }]);
    expect(Object.keys(smoke.metrics[0].provider)).toEqual(['web']);
    expect(smoke.metrics[0].provider.web.timeoutSeconds).toBe(5);
    expect(Object.keys(smoke.metrics[2].provider)).toEqual(['job']);
    expect(smoke.dryRun).toEqual([{ metricName: 'post' }]);
    expect(byName(docs, 'ClusterAnalysisTemplate', 'error-budget').metadata.namespace).toBeUndefined();
    const namespaced = new Chart(Testing.app(), 'ns', { namespace: 'shop' });
    new r.ClusterAnalysisTemplate(namespaced, 'C', { name: 'c', metrics: [{ name: 'm', provider: r.MetricProvider.web({ url: 'http://x' }) }] });
    new r.AnalysisTemplate(namespaced, 'A', { name: 'a', metrics: [{ name: 'm', provider: r.MetricProvider.web({ url: 'http://x' }) }] });
    expect(Testing.synth(namespaced).map((d) => d.metadata.namespace)).toEqual([undefined, 'shop']);
  });

  test('a late addMetric()/addArg() still lands (Lazy spec)', () => {
    const chart = Testing.chart();
    const t = new r.AnalysisTemplate(chart, 'T', { name: 't' });
    t.addArg(r.TemplateArg.required('x')).addMetric({ name: 'm', interval: Duration.seconds(10), count: 3, provider: r.MetricProvider.web({ url: 'http://h/{{args.x}}' }) });
    expect(Testing.synth(chart)[0].spec.metrics[0].name).toBe('m');
    expect(() => t.addArg(r.TemplateArg.required('x'))).toThrow(/declared twice/);
  });

  test('pod templates and Job metrics are restricted with requests by default; restricted: false is the visible opt-out', () => {
    const pod = byName(docs, 'Rollout', 'web').spec.template.spec;
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].resources.requests).toEqual(r.DEFAULT_REQUESTS);
    const job = byName(docs, 'AnalysisTemplate', 'smoke').spec.metrics[2].provider.job.spec.template.spec;
    expect(job.containers[0].securityContext.allowPrivilegeEscalation).toBe(false);
    const own = r.PodTemplate.of({ labels: { a: 'b' }, spec: { containers: [{ name: 'c', image: 'i', securityContext: { runAsUser: 1000 } }] } }).render();
    expect(own.spec.containers[0].securityContext).toMatchObject({ runAsUser: 1000, runAsNonRoot: true });
    const open = r.PodTemplate.of({ labels: { a: 'b' }, restricted: false, spec: { containers: [{ name: 'c', image: 'i' }] } }).render();
    expect(open.spec).toEqual({ containers: [{ name: 'c', image: 'i' }] });
  });

  test('the pause and metric duration parser follows Go', () => {
    expect(v.parseGoDuration('1h30m')).toBe(5400);
    expect(v.parseGoDuration('1.5s')).toBe(1.5);
    expect(v.parseGoDuration('-2s')).toBe(-2);
    expect(v.parseGoDuration('5')).toBeUndefined();
    expect(v.parseGoDuration('1 h')).toBeUndefined();
  });
});
