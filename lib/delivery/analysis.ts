import { Construct } from 'constructs';
import { Duration } from '../core';
import { AnalysisArg, AnalysisTemplate, IAnalysisTemplate, MetricProvider, TemplateArg } from './rollouts';

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
}

/** Where the analysis that gates a delivery comes from. */
export class DeliveryAnalysis {
  /**
   * A request success-rate template (Istio `istio_requests_total` from Prometheus) created next to the Rollout;
   * its `service-name` arg receives the Service being judged.
   */
  public static successRate(options: SuccessRateOptions = {}): DeliveryAnalysis {
    return new DeliveryAnalysis((scope, id, name) => new AnalysisTemplate(scope, id, {
      name: `${name}-success-rate`,
      args: [TemplateArg.required('service-name')],
      metrics: [{
        name: 'success-rate',
        interval: options.interval ?? Duration.minutes(1),
        count: options.count ?? 5,
        failureLimit: options.failureLimit ?? 1,
        successCondition: `result[0] >= ${options.threshold ?? 0.95}`,
        provider: MetricProvider.prometheus({
          address: options.prometheusAddress ?? 'http://prometheus.istio-system:9090',
          query: 'sum(irate(istio_requests_total{reporter="source",destination_service_name="{{args.service-name}}",response_code!~"5.*"}[1m]))'
            + ' / sum(irate(istio_requests_total{reporter="source",destination_service_name="{{args.service-name}}"}[1m]))',
        }),
      }],
    }), true);
  }

  /** Your own template; `args` are passed as given (plus `service-name` if the template declares it). */
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
    const wantsName = this.passServiceName
      || (template instanceof AnalysisTemplate && template.argNames.includes('service-name') && !this.args.some((a) => a.name === 'service-name'));
    return { template, args: [...this.args, ...(wantsName ? [AnalysisArg.value('service-name', serviceName)] : [])] };
  }
}
