import { Construct } from 'constructs';
import { Duration, assertValue, fail, show } from '../core';
import { AnalysisArg, AnalysisTemplate, IAnalysisTemplate, MetricProvider, PodTemplateHash, TemplateArg } from './rollouts';
import { numberViolations } from './values';

/** Options of {@link DeliveryAnalysis.successRate}. */
export interface SuccessRateOptions {
  /**
   * The Prometheus that scrapes Istio's metrics.
   * @default 'http://prometheus.istio-system:9090'
   */
  readonly prometheusAddress?: string;
  /**
   * Lowest acceptable share of non-5xx responses.
   * @default 0.95
   */
  readonly threshold?: number;
  /**
   * Time between measurements.
   * @default Duration.minutes(1)
   */
  readonly interval?: Duration;
  /**
   * Measurements per analysis run (runs must end, they gate steps and promotions).
   * @default 5
   */
  readonly count?: number;
  /**
   * Failed measurements tolerated.
   * @default 1
   */
  readonly failureLimit?: number;
  /**
   * The Prometheus label that carries the pod's `rollouts-pod-template-hash` label. Istio's sample Prometheus
   * configuration copies pod labels onto the scraped series (`labelmap: __meta_kubernetes_pod_label_(.+)`), which
   * gives `rollouts_pod_template_hash`; set the name your scrape configuration uses.
   * @default 'rollouts_pod_template_hash'
   */
  readonly podTemplateHashLabel?: string;
}

/** The arg that receives the pod-template hash of the new (canary, preview) ReplicaSet. */
export const CANARY_HASH_ARG = 'canary-hash';

/** Where the analysis that gates a delivery comes from. */
export class DeliveryAnalysis {
  /**
   * A request success-rate template (Istio `istio_requests_total` from Prometheus) created next to the Rollout. It
   * counts only requests the new version's pods answered: the series are the destination-side ones
   * (`reporter="destination"`) of pods whose `rollouts-pod-template-hash` is the new ReplicaSet's (arg
   * `canary-hash`, filled with `podTemplateHashValue: Latest`). Stable and canary share the Service name in subset
   * mode, so the Service (arg `service-name`) alone would mostly measure the stable pods.
   */
  public static successRate(options: SuccessRateOptions = {}): DeliveryAnalysis {
    const hash = options.podTemplateHashLabel ?? 'rollouts_pod_template_hash';
    const selector = `reporter="destination",destination_service_name="{{args.service-name}}",${hash}="{{args.${CANARY_HASH_ARG}}}"`;
    return new DeliveryAnalysis((scope, id, name) => {
      // the threshold is written into the success condition: it must be a number the expression can hold
      assertValue(scope, numberViolations('successRate threshold', options.threshold, { min: 0, max: 1 }));
      if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(hash)) {
        fail(scope, 'delivery-analysis-label', `podTemplateHashLabel ${show(hash)} is not a Prometheus label name`, "use letters, digits and '_', e.g. 'rollouts_pod_template_hash'");
      }
      return new AnalysisTemplate(scope, id, {
        name: `${name}-success-rate`,
        args: [TemplateArg.required('service-name'), TemplateArg.required(CANARY_HASH_ARG)],
        metrics: [{
          name: 'success-rate',
          interval: options.interval ?? Duration.minutes(1),
          count: options.count ?? 5,
          failureLimit: options.failureLimit ?? 1,
          successCondition: `result[0] >= ${options.threshold ?? 0.95}`,
          provider: MetricProvider.prometheus({
            address: options.prometheusAddress ?? 'http://prometheus.istio-system:9090',
            query: `sum(irate(istio_requests_total{${selector},response_code!~"5.*"}[1m])) / sum(irate(istio_requests_total{${selector}}[1m]))`,
          }),
        }],
      });
    }, true);
  }

  /**
   * Your own template; `args` are passed as given, plus `service-name` (the Service judged) and `canary-hash` (the
   * new ReplicaSet's pod-template hash) when the template declares them.
   */
  public static fromTemplate(template: IAnalysisTemplate, args: AnalysisArg[] = []): DeliveryAnalysis {
    return new DeliveryAnalysis(() => template, false, args);
  }

  /** No analysis: promotion relies on pauses only. */
  public static none(): DeliveryAnalysis {
    return new DeliveryAnalysis(undefined, false);
  }

  private constructor(
    private readonly make: ((scope: Construct, id: string, name: string) => IAnalysisTemplate) | undefined,
    private readonly passServiceName: boolean,
    private readonly args: AnalysisArg[] = [],
  ) {}

  /**
   * @internal Creates (or returns) the template, named `<name>-success-rate` when created, and the args that run
   * it against `serviceName`.
   */
  public _bind(scope: Construct, id: string, name: string, serviceName: string): { template: IAnalysisTemplate; args: AnalysisArg[] } | undefined {
    if (!this.make) return undefined;
    const template = this.make(scope, id, name);
    const wants = (arg: string) => this.passServiceName
      || (template instanceof AnalysisTemplate && template.argNames.includes(arg) && !this.args.some((a) => a.name === arg));
    return { template, args: [
      ...this.args,
      ...(wants('service-name') ? [AnalysisArg.value('service-name', serviceName)] : []),
      ...(wants(CANARY_HASH_ARG) ? [AnalysisArg.podTemplateHash(CANARY_HASH_ARG, PodTemplateHash.LATEST)] : []),
    ] };
  }
}
