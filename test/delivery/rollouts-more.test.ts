// The Argo Rollouts forms beyond the first release: restartAt, replicaProgressThreshold, ALB stickiness, the
// Gateway API plugin, and the metric providers besides Prometheus, web and Job. Typed → YAML → strict CRD schema.
import { Chart, Testing } from 'cdk8s';
import { Duration } from '../../lib/core';
import { ExternalObject } from '../../lib/delivery';
import * as r from '../../lib/delivery/rollouts';
import { expectValid } from './check';
import { LABELS, POD, service } from './fixtures';
import { expectEager, expectRule, synthError } from './rules';

function rollout(strategy: r.CanaryStrategyProps, props: Partial<r.RolloutProps> = {}): Chart {
  const chart = Testing.chart();
  for (const n of ['web-stable', 'web-canary']) service(chart, n);
  new r.Rollout(chart, 'Web', { name: 'web', template: r.PodTemplate.of({ labels: LABELS, spec: POD }),
    strategy: r.RolloutStrategy.canary({ canaryService: { name: 'web-canary' }, stableService: { name: 'web-stable' }, ...strategy }), ...props });
  return chart;
}
const specOf = (c: Chart, kind = 'Rollout') => Testing.synth(c).find((d) => d.kind === kind).spec;

describe('Rollout forms', () => {
  test('restartAt, replicaProgressThreshold, ALB stickiness and the Gateway API plugin render as Argo reads them', () => {
    const alb = rollout({ trafficRouting: r.TrafficRouting.alb({ ingress: { name: 'web' }, servicePort: 80, stickiness: Duration.hours(1) }), replicaProgressThreshold: r.IntOrPercent.percent(90) },
      { restartAt: new Date('2026-12-01T22:00:00Z') });
    new ExternalObject(alb, 'Ing', { group: 'networking.k8s.io', kind: 'Ingress', name: 'web' });
    const s = specOf(alb);
    expect(s.restartAt).toBe('2026-12-01T22:00:00Z');
    // RestartTime keeps the text as written, an offset included
    expect(specOf(rollout({}, { restartAt: r.RestartTime.of('2026-12-01T23:00:00+01:00') })).restartAt).toBe('2026-12-01T23:00:00+01:00');
    expect(s.strategy.canary.replicaProgressThreshold).toEqual({ type: 'Percent', value: 90 });
    expect(s.strategy.canary.trafficRouting.alb).toEqual({ ingress: 'web', servicePort: 80, stickinessConfig: { enabled: true, durationSeconds: 3600 } });
    expect(synthError(alb)).toBe('');
    const gw = rollout({ trafficRouting: r.TrafficRouting.gatewayApi({ httpRoutes: ['web'], namespace: 'shop' }), replicaProgressThreshold: r.IntOrPercent.count(3) });
    expect(specOf(gw).strategy.canary.trafficRouting).toEqual({ plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'web', namespace: 'shop' } } });
    expect(specOf(gw).strategy.canary.replicaProgressThreshold).toEqual({ type: 'Pods', value: 3 });
    const two = rollout({ trafficRouting: r.TrafficRouting.gatewayApi({ httpRoutes: ['web', 'web-internal'], grpcRoutes: ['web-grpc'] }) });
    expect(specOf(two).strategy.canary.trafficRouting.plugins[r.GATEWAY_API_PLUGIN]).toEqual({ httpRoutes: [{ name: 'web' }, { name: 'web-internal' }], grpcRoute: 'web-grpc' });
    expectValid([...Testing.synth(alb), ...Testing.synth(gw), ...Testing.synth(two)]);
  });

  test('rule rollout-restart-at: a valid time of whole seconds', () => {
    expectEager(() => rollout({}, { restartAt: new Date('not a time') }), 'rollout-restart-at', 'test/Web', 'is not a valid time');
    expectEager(() => rollout({}, { restartAt: new Date('2026-12-01T22:00:00.250Z') }), 'rollout-restart-at', 'test/Web', 'has milliseconds');
    expectEager(() => rollout({}, { restartAt: r.RestartTime.of('tomorrow 10pm') }), 'rollout-restart-at', 'test/Web', 'restartAt "tomorrow 10pm" is not an RFC 3339 time');
    expectEager(() => rollout({}, { restartAt: r.RestartTime.of('2026-12-01T22:00:00.5Z') }), 'rollout-restart-at', 'test/Web', 'has a fraction of a second');
  });

  test('rule canary-replica-progress-threshold: "Value must also be greater than 0", percent at most 100', () => {
    expectRule(rollout({ replicaProgressThreshold: r.IntOrPercent.count(0) }), 'canary-replica-progress-threshold', 'test/Web', 'Value must also be greater than 0');
    expectRule(rollout({ replicaProgressThreshold: r.IntOrPercent.percent(120) }), 'canary-replica-progress-threshold', 'test/Web', '{"type":"Percent","value":120}');
  });

  test('rule alb-stickiness: 1 second to 7 days', () => {
    const c = rollout({ trafficRouting: r.TrafficRouting.alb({ ingress: { name: 'web' }, servicePort: 80, stickiness: Duration.days(8) }) });
    expectRule(c, 'alb-stickiness', 'test/Web', 'durationSeconds 691200: the ALB target group stickiness duration must be 1 to 604800 seconds');
  });
});

describe('metric providers', () => {
  const template = (provider: r.MetricProvider) => {
    const chart = Testing.chart();
    new r.AnalysisTemplate(chart, 'T', { name: 't', metrics: [{ name: 'm', interval: Duration.minutes(1), count: 3, successCondition: 'result < 0.05', provider }] });
    return chart;
  };

  test('Datadog, New Relic, CloudWatch, Wavefront, Graphite, InfluxDB and Kayenta pass the strict AnalysisTemplate schema', () => {
    const providers = [
      r.MetricProvider.datadog({ query: 'sum:requests.error.rate{service:web}', interval: Duration.minutes(5) }),
      r.MetricProvider.datadog({ queries: { errors: 'sum:requests.errors{service:web}.as_count()', total: 'sum:requests{service:web}.as_count()' }, formula: 'errors / total', aggregator: r.DatadogAggregator.LAST, secretName: 'datadog-shop' }),
      r.MetricProvider.newRelic("SELECT percentage(count(*), WHERE httpResponseCode >= 500) FROM Transaction WHERE appName = 'web'", 'shop'),
      r.MetricProvider.cloudWatch([
        { id: 'errors', metricStat: { namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_Target_5XX_Count', dimensions: { LoadBalancer: 'app/web/123' }, period: Duration.minutes(1), stat: 'Sum' }, returnData: false },
        { id: 'rate', expression: 'errors / 100' },
      ], Duration.minutes(5)),
      r.MetricProvider.wavefront('example.wavefront.com', 'sum(ts(web.errors))'),
      r.MetricProvider.graphite('http://graphite.example.com:9090', 'target=summarize(web.errors,"1min")'),
      r.MetricProvider.influxdb('from(bucket: "app") |> range(start: -15m)', 'shop'),
      r.MetricProvider.kayenta({ address: 'http://kayenta:8090', application: 'web', canaryConfigName: 'web-config', metricsAccountName: 'prom', configurationAccountName: 'cfg', storageAccountName: 'store',
        threshold: { pass: 90, marginal: 75 },
        scopes: [{ name: 'default', control: { scope: 'app=web,track=stable', region: 'eu', step: 60, start: '{{args.start-time}}', end: '{{args.end-time}}' },
          experiment: { scope: 'app=web,track=canary', region: 'eu', step: 60, start: '{{args.start-time}}', end: '{{args.end-time}}' } }] }),
    ];
    const docs = providers.flatMap((p) => Testing.synth(template(p)));
    expect(docs[1].spec.metrics[0].provider.datadog).toEqual({ queries: { errors: 'sum:requests.errors{service:web}.as_count()', total: 'sum:requests{service:web}.as_count()' },
      formula: 'errors / total', apiVersion: 'v2', aggregator: 'last', secretRef: { name: 'datadog-shop' } });
    expect(docs[3].spec.metrics[0].provider.cloudWatch.metricDataQueries[0].metricStat).toEqual({
      metric: { namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_Target_5XX_Count', dimensions: [{ name: 'LoadBalancer', value: 'app/web/123' }] }, period: 60, stat: 'Sum' });
    expectValid(docs);
  });

  test('rule analysis-datadog: one of query and queries, a formula needs queries, queries need v2', () => {
    expectRule(template(r.MetricProvider.datadog({})), 'analysis-datadog', 'test/T', 'set exactly one of query and queries');
    expectRule(template(r.MetricProvider.datadog({ query: 'q', formula: 'a / b' })), 'analysis-datadog', 'test/T', 'a formula needs queries');
    expectRule(template(r.MetricProvider.datadog({ queries: { a: 'q' }, apiVersion: 'v1' })), 'analysis-datadog', 'test/T', 'need apiVersion v2');
  });

  test('rule analysis-cloudwatch: each query reads a metric or computes an expression', () => {
    expectRule(template(r.MetricProvider.cloudWatch([{ id: 'x' }])), 'analysis-cloudwatch', 'test/T', 'metricDataQueries[0] "x": set exactly one of expression and metricStat');
  });
});

describe('metric counts and limits from template args', () => {
  const prom = () => r.MetricProvider.prometheus({ address: 'http://prometheus:9090', query: 'up{job="{{args.job}}"}' });

  test('count and failureLimit read args: written {{args.…}}, which Argo resolves before validating; valid against the schema', () => {
    const c = Testing.chart();
    const t = new r.AnalysisTemplate(c, 'Up', { name: 'up', args: [r.TemplateArg.required('job'), r.TemplateArg.withDefault('samples', '5'), r.TemplateArg.withDefault('failures', '1')] });
    t.addMetric({ name: 'up', interval: Duration.seconds(30), count: t.arg('samples'), failureLimit: t.arg('failures'), successCondition: 'result[0] == 1', provider: prom() });
    expect(synthError(c)).toBe('');
    const docs = Testing.synth(c);
    expect(docs[0].spec.metrics[0]).toMatchObject({ count: '{{args.samples}}', failureLimit: '{{args.failures}}' });
    expectValid(docs);
  });

  test('rule analysis-args-resolve (metric limits): an arg the template does not declare', () => {
    const c = Testing.chart();
    const other = new r.AnalysisTemplate(c, 'Other', { name: 'other', args: [r.TemplateArg.withDefault('samples', '5')] });
    const t = new r.AnalysisTemplate(c, 'Up', { name: 'up', args: [r.TemplateArg.required('job')] });
    expectEager(() => t.arg('samples'), 'analysis-args-resolve', 'test/Up', 'arg "samples" is not declared by "up"');
    expectEager(() => t.addMetric({ name: 'up', count: other.arg('samples'), provider: prom() }), 'analysis-args-resolve', 'test/Up', 'metrics[0].count reads arg "samples"');
  });
});
