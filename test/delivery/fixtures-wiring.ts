/** Charts using every form of the wiring (kept apart so the backend tests do not load the workloads layer). */
import { Chart, Testing } from 'cdk8s';
import { Duration } from '../../lib/core';
import { CanaryRouting, Delivery, DeliveryAnalysis, PodSource } from '../../lib/delivery';
import * as r from '../../lib/delivery/rollouts';
import { Microservice } from '../../lib/workloads';

/** The wiring: canary by Services (workloadRef + HPA), canary by subsets (template), blue-green. */
export function wiringChart(): Chart {
  const chart = Testing.chart();
  const web = new Microservice(chart, 'Web', { image: 'ghcr.io/acme/web:1.0.0', autoscaling: { maxReplicas: 10 } });
  Delivery.canary(web, { timeout: Duration.seconds(5), retries: { attempts: 2, retryOn: ['5xx'] }, managedRoutes: ['testers'],
    headerRoute: { headerName: 'x-canary', headerValue: r.StringMatch.exact('always') } });
  const api = new Microservice(chart, 'Api', { image: 'ghcr.io/acme/api:1.0.0' });
  Delivery.canary(api, { podSource: PodSource.template(), weights: [10, 100], pauseBetween: Duration.minutes(2), backgroundAnalysis: true,
    routing: CanaryRouting.bySubsets({ outlierDetection: { consecutive5xxErrors: 3 }, connectionPool: { http: { http2MaxRequests: 100 } } }) });
  const cart = new Microservice(chart, 'Cart', { image: 'ghcr.io/acme/cart:1.0.0', autoscaling: { maxReplicas: 4 } });
  Delivery.blueGreen(cart, { autoPromotion: true, autoPromotionDelay: Duration.minutes(1), prePromotionAnalysis: DeliveryAnalysis.successRate({ threshold: 0.99 }) });
  return chart;
}

/** The other wiring forms: your own template, custom steps, no analysis, autoscaling on the delivery. */
export function wiringVariantsChart(): Chart {
  const chart = Testing.chart();
  const web = new Microservice(chart, 'Web', { image: 'ghcr.io/acme/web:1' });
  const mine = new r.AnalysisTemplate(chart, 'Mine', { name: 'latency', args: [r.TemplateArg.required('service-name')],
    metrics: [{ name: 'p99', count: 1, provider: r.MetricProvider.prometheus({ address: 'http://p', query: 'q{s="{{args.service-name}}"}' }), successCondition: 'result[0] < 0.3' }] });
  const d = Delivery.canary(web, { analysis: DeliveryAnalysis.fromTemplate(mine), steps: [r.CanaryStep.setWeight(5), r.CanaryStep.pause()],
    autoscaling: { maxReplicas: 5 } });
  d.rollout.addStep(d.analysisStep!).addStep(r.CanaryStep.setWeight(100));
  const api = new Microservice(chart, 'Api', { image: 'ghcr.io/acme/api:1' });
  Delivery.canary(api, { analysis: DeliveryAnalysis.none(), weights: [50], routing: CanaryRouting.bySubsets(), podSource: PodSource.template() });
  const cart = new Microservice(chart, 'Cart', { image: 'ghcr.io/acme/cart:1', replicas: 3 });
  Delivery.blueGreen(cart, { postPromotionAnalysis: DeliveryAnalysis.none(), autoscaling: { maxReplicas: 6, cpuUtilization: 60 }, podSource: PodSource.template() });
  return chart;
}
