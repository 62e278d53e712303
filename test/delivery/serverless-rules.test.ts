import { ApiObject, JsonPatch, Testing } from 'cdk8s';
import { Duration } from '../../lib/core';
import * as s from '../../lib/delivery/serverless';
import { expectEager, expectRule, synthError } from './rules';

function ksvc(props: s.KnativeServiceProps = {}) {
  const chart = Testing.chart();
  const svc = new s.KnativeService(chart, 'Fn', { name: 'fn', container: { image: 'ghcr.io/acme/fn:1' }, ...props });
  return { chart, svc };
}
const annotate = (svc: s.KnativeService, key: string, value: string) =>
  ApiObject.of(svc).addJsonPatch(JsonPatch.add(`/spec/template/metadata/annotations/${key.replace(/\//g, '~1')}`, value));

describe('Knative Service webhook rules (research §3.2)', () => {
  test('rule knative-traffic-percent: each 0..100, sum 100', () => {
    expectRule(ksvc({ traffic: [s.TrafficTarget.latestRevision({ percent: 50 }), s.TrafficTarget.revision('fn-v1', { percent: 40 })] }).chart,
      'knative-traffic-percent', 'test/Fn', 'Traffic targets sum to 90, want 100');
    expectRule(ksvc({ traffic: [s.TrafficTarget.latestRevision({ percent: 150 })] }).chart, 'knative-traffic-percent', 'test/Fn',
      'traffic[0].percent 150: expected 0 <= percent <= 100');
  });

  test('rule knative-traffic-tag: DNS-1035 labels, unique', () => {
    expectRule(ksvc({ traffic: [s.TrafficTarget.latestRevision({ percent: 100, tag: 'Canary_1' })] }).chart, 'knative-traffic-tag', 'test/Fn',
      'tag "Canary_1": must be a DNS-1035 label');
    expectRule(ksvc({ traffic: [s.TrafficTarget.latestRevision({ percent: 100, tag: 'x' }), s.TrafficTarget.revision('fn-v1', { tag: 'x' })] }).chart,
      'knative-traffic-tag', 'test/Fn', 'Multiple definitions for "x"');
  });

  test('rule knative-traffic-latest-revision: latestRevision true names no revision, false names one', () => {
    const { chart, svc } = ksvc({ traffic: [s.TrafficTarget.latestRevision({ percent: 100 })] });
    ApiObject.of(svc).addJsonPatch(JsonPatch.add('/spec/traffic/0/revisionName', 'fn-v1'));
    expectRule(chart, 'knative-traffic-latest-revision', 'test/Fn', 'may not set revisionName if latestRevision is true');
    const c2 = ksvc({ traffic: [s.TrafficTarget.revision('fn-v1', { percent: 100 })] });
    ApiObject.of(c2.svc).addJsonPatch(JsonPatch.remove('/spec/traffic/0/revisionName'));
    expectRule(c2.chart, 'knative-traffic-latest-revision', 'test/Fn', 'latestRevision false without revisionName: must set revisionName');
  });

  test('rule knative-revision-name: revisions are named <service>-<suffix>', () => {
    expectRule(ksvc({ revisionName: 'v2' }).chart, 'knative-revision-name', 'test/Fn', 'spec.template.metadata.name "v2": must have prefix "fn-"');
  });

  test('rule knative-container-concurrency: 0..1000', () => {
    expectRule(ksvc({ containerConcurrency: 5000 }).chart, 'knative-container-concurrency', 'test/Fn', 'containerConcurrency 5000: expected 0 <= containerConcurrency <= 1000');
  });

  test('rule knative-timeout: at most 600 seconds', () => {
    expectRule(ksvc({ timeout: Duration.minutes(20) }).chart, 'knative-timeout', 'test/Fn', 'timeoutSeconds 1200: expected 0 <= timeoutSeconds <= 600');
  });

  test('rule knative-containers: a container is required', () => {
    expectRule(ksvc({ container: undefined }).chart, 'knative-containers', 'test/Fn', 'spec.template.spec.containers: missing field(s)');
  });

  test('rule knative-containers (sidecars): a sidecar given a port is a second serving container', () => {
    expectRule(ksvc({ sidecars: [{ name: 'proxy', image: 'ghcr.io/acme/proxy:1', port: 9090 }] }).chart, 'knative-containers', 'test/Fn',
      '2 containers: exactly one container must expose a port');
  });

  test('rule knative-container-name-unique: a sidecar named like the serving container', () => {
    expectEager(() => ksvc({ container: { name: 'app', image: 'ghcr.io/acme/fn:1' }, sidecars: [{ name: 'app', image: 'ghcr.io/acme/log:1' }] }),
      'knative-container-name-unique', 'test/Fn', 'containers[1] name "app" is used twice in the revision');
  });

  test('rule knative-autoscaling-class: only the known *.knative.dev classes', () => {
    const { chart, svc } = ksvc({ autoscaling: { maxScale: 3 } });
    annotate(svc, 'autoscaling.knative.dev/class', 'xyz.autoscaling.knative.dev');
    expectRule(chart, 'knative-autoscaling-class', 'test/Fn', 'class "xyz.autoscaling.knative.dev": invalid value');
  });

  test('rule knative-autoscaling-metric: KPA takes concurrency or rps', () => {
    expectRule(ksvc({ autoscaling: { class: s.AutoscalingClass.KPA, metric: s.AutoscalingMetric.CPU } }).chart, 'knative-autoscaling-metric', 'test/Fn',
      'metric "cpu" with class "kpa.autoscaling.knative.dev": invalid value');
  });

  test('rule knative-autoscaling-target: target >= 0.01, utilization 1..100, burst capacity >= 0 or -1', () => {
    expectRule(ksvc({ autoscaling: { target: 0 } }).chart, 'knative-autoscaling-target', 'test/Fn', 'target 0 should be at least 0.01');
    expectRule(ksvc({ autoscaling: { targetUtilizationPercentage: 150 } }).chart, 'knative-autoscaling-target', 'test/Fn', 'target-utilization-percentage 150');
    expectRule(ksvc({ autoscaling: { targetBurstCapacity: -5 } }).chart, 'knative-autoscaling-target', 'test/Fn', 'target-burst-capacity -5: must be >= 0 or -1');
  });

  test('rule knative-scale-bounds: max >= min unless 0, activation within bounds, HPA never at zero', () => {
    expectRule(ksvc({ autoscaling: { minScale: 5, maxScale: 2 } }).chart, 'knative-scale-bounds', 'test/Fn', 'min-scale 5 > max-scale 2');
    expectRule(ksvc({ autoscaling: { activationScale: 1 } }).chart, 'knative-scale-bounds', 'test/Fn', 'activation-scale 1: expected 2 <= value <= max-scale');
    expectRule(ksvc({ autoscaling: { class: s.AutoscalingClass.HPA, metric: s.AutoscalingMetric.CPU, minScale: 0 } }).chart, 'knative-scale-bounds', 'test/Fn',
      'the HPA class cannot scale to zero');
    // a fraction given as a prop is the shared value-integer rule at once; one written by a patch is this rule at synth
    expectEager(() => ksvc({ autoscaling: { minScale: 1.5 } }), 'value-integer', 'test/Fn', 'autoscaling.minScale 1.5 is not a whole number');
    const patched = ksvc({ autoscaling: { minScale: 1 } });
    annotate(patched.svc, 'autoscaling.knative.dev/min-scale', '1.5');
    expectRule(patched.chart, 'knative-scale-bounds', 'test/Fn', 'min-scale 1.5: expected a whole number >= 0');
    expectRule(ksvc({ autoscaling: { initialScale: 0 } }).chart, 'knative-scale-bounds', 'test/Fn', 'initial-scale 0 needs allow-zero-initial-scale');
    expect(synthError(ksvc({ autoscaling: { initialScale: 0 }, allowZeroInitialScale: true }).chart)).toBe('');
  });

  test('rule knative-autoscaling-window: 6s..1h with second precision', () => {
    expectRule(ksvc({ autoscaling: { window: Duration.seconds(2) } }).chart, 'knative-autoscaling-window', 'test/Fn', 'window "2s": must be a duration between 6s and 3600s');
    expectRule(ksvc({ autoscaling: { window: Duration.millis(6500) } }).chart, 'knative-autoscaling-window', 'test/Fn', 'with second precision');
  });

  test('rule knative-scale-to-zero-retention: 0..1h', () => {
    expectRule(ksvc({ autoscaling: { scaleToZeroPodRetention: Duration.hours(2) } }).chart, 'knative-scale-to-zero-retention', 'test/Fn',
      'scale-to-zero-pod-retention-period "2h": must be a duration between 0s and 3600s');
  });

  test('rule knative-scale-down-delay: 0..1h with second precision', () => {
    expectRule(ksvc({ autoscaling: { scaleDownDelay: Duration.hours(3) } }).chart, 'knative-scale-down-delay', 'test/Fn', 'scale-down-delay "3h"');
  });

  test('rule knative-panic: window 1..100, threshold 110..1000', () => {
    expectRule(ksvc({ autoscaling: { panicThresholdPercentage: 100 } }).chart, 'knative-panic', 'test/Fn', 'panic-threshold-percentage 100: expected 110 <= value <= 1000');
    expectRule(ksvc({ autoscaling: { panicWindowPercentage: 0 } }).chart, 'knative-panic', 'test/Fn', 'panic-window-percentage 0');
  });

  test('rule knative-rollout-duration: a non-negative duration with second precision', () => {
    expect(() => ksvc({ rolloutDuration: Duration.millis(1500) })).toThrow(/duration-whole-seconds/);
    const { chart, svc } = ksvc({ rolloutDuration: Duration.seconds(60) });
    ApiObject.of(svc).addJsonPatch(JsonPatch.replace('/metadata/annotations/serving.knative.dev~1rollout-duration', 'soon'));
    expectRule(chart, 'knative-rollout-duration', 'test/Fn', 'rollout-duration "soon": must be a non-negative duration with second precision');
  });
});
