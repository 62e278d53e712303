import { Testing } from 'cdk8s';
import { KnativeService } from '../../lib/delivery/serverless';
import { RESTRICTED_SECURITY_CONTEXT } from '../../lib/delivery/serverless/knative-service';
import { expectValid } from './check';
import { serverlessChart } from './fixtures';
import { synthError } from './rules';

describe('Knative Serving Service', () => {
  const docs = Testing.synth(serverlessChart());
  const get = (name: string) => docs.find((d) => d.metadata.name === name);

  test('every valid form synthesizes and the output is stable', () => {
    expect(docs).toMatchSnapshot();
  });

  test('typed autoscaling becomes the revision annotations Knative reads', () => {
    expect(get('thumbnail').spec.template.metadata.annotations).toEqual({
      'autoscaling.knative.dev/class': 'kpa.autoscaling.knative.dev',
      'autoscaling.knative.dev/metric': 'rps',
      'autoscaling.knative.dev/target': '50',
      'autoscaling.knative.dev/target-utilization-percentage': '80',
      'autoscaling.knative.dev/min-scale': '0',
      'autoscaling.knative.dev/max-scale': '10',
      'autoscaling.knative.dev/initial-scale': '0',
      'autoscaling.knative.dev/activation-scale': '2',
      'autoscaling.knative.dev/scale-to-zero-pod-retention-period': '5m',
      'autoscaling.knative.dev/scale-down-delay': '30s',
      'autoscaling.knative.dev/window': '1m',
      'autoscaling.knative.dev/panic-window-percentage': '10',
      'autoscaling.knative.dev/panic-threshold-percentage': '200',
      'autoscaling.knative.dev/target-burst-capacity': '-1',
    });
    expect(get('thumbnail').metadata.annotations).toEqual({ 'serving.knative.dev/rollout-duration': '300s' });
  });

  test('traffic splits by revision, latest and tag', () => {
    expect(get('thumbnail').spec.traffic).toEqual([
      { revisionName: 'thumbnail-v1', latestRevision: false, percent: 90, tag: 'previous' },
      { latestRevision: true, percent: 10, tag: 'candidate' },
    ]);
    expect(get('hello').spec.traffic).toBeUndefined();
  });

  test('containers get the restricted security context and requests by default', () => {
    const c = get('hello').spec.template.spec.containers[0];
    expect(c.securityContext).toEqual({ runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } });
    expect(c.resources.requests).toEqual({ cpu: '100m', memory: '128Mi' });
  });
});

describe('Knative multi-container revisions', () => {
  test('the serving container keeps the only port; sidecars get the secure defaults; valid against the schema', () => {
    const c = Testing.chart();
    new KnativeService(c, 'Fn', {
      name: 'fn', container: { name: 'app', image: 'ghcr.io/acme/fn:1', port: 8081 },
      sidecars: [{ name: 'log-shipper', image: 'ghcr.io/acme/log:2', env: { TARGET: 'loki' } }, { image: 'ghcr.io/acme/proxy:1', requests: { cpu: '20m', memory: '32Mi' } }],
    });
    expect(synthError(c)).toBe('');
    const docs = Testing.synth(c);
    expect(docs[0].spec.template.spec.containers).toEqual([
      { name: 'app', image: 'ghcr.io/acme/fn:1', ports: [{ containerPort: 8081 }], resources: { requests: { cpu: '100m', memory: '128Mi' } }, securityContext: RESTRICTED_SECURITY_CONTEXT },
      { name: 'log-shipper', image: 'ghcr.io/acme/log:2', env: [{ name: 'TARGET', value: 'loki' }], resources: { requests: { cpu: '100m', memory: '128Mi' } }, securityContext: RESTRICTED_SECURITY_CONTEXT },
      // unnamed: Knative names it user-container-2
      { image: 'ghcr.io/acme/proxy:1', resources: { requests: { cpu: '20m', memory: '32Mi' } }, securityContext: RESTRICTED_SECURITY_CONTEXT },
    ]);
    expectValid(docs);
  });
});
