import { Duration, fail, goDuration, show, wholeSeconds } from '../../core';
import { Json, PodMetadata, compact, restrictedPodSpec } from './common';

/** Props of {@link MetricProvider.prometheus}. */
export interface PrometheusProviderProps {
  /** The Prometheus server URL, e.g. `http://prometheus.monitoring:9090`. */
  readonly address: string;
  /** The PromQL query; `{{args.name}}` placeholders are filled from the template's args. */
  readonly query: string;
  /**
   * Query timeout (whole seconds).
   * @default - the provider's default
   */
  readonly timeout?: Duration;
  /**
   * Skip TLS verification of the server.
   * @default false
   */
  readonly insecure?: boolean;
  /**
   * Extra HTTP headers sent with the query.
   * @default - none
   */
  readonly headers?: Record<string, string>;
}

/** HTTP methods a web metric may use. */
export enum WebMethod {
  /** GET (the default). */
  GET = 'GET',
  /** POST. */
  POST = 'POST',
  /** PUT. */
  PUT = 'PUT',
}

/** Props of {@link MetricProvider.web}. */
export interface WebProviderProps {
  /** The URL to call; may use `{{args.name}}`. */
  readonly url: string;
  /**
   * The HTTP method.
   * @default WebMethod.GET
   */
  readonly method?: WebMethod;
  /**
   * Request headers.
   * @default - none
   */
  readonly headers?: Record<string, string>;
  /**
   * A text body (POST/PUT).
   * @default - none
   */
  readonly body?: string;
  /**
   * A JSON body (POST/PUT); not with `body`.
   * @default - none
   */
  readonly jsonBody?: Json;
  /**
   * Request timeout (whole seconds).
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;
  /**
   * JSONPath selecting the result from the response.
   * @default '{$}'
   */
  readonly jsonPath?: string;
  /**
   * Skip TLS verification.
   * @default false
   */
  readonly insecure?: boolean;
}

/** Props of {@link MetricProvider.job}. */
export interface JobProviderProps {
  /** A batch/v1 JobSpec as manifest JSON; the metric succeeds when the Job does. */
  readonly spec: Json;
  /**
   * Labels and annotations for the Job.
   * @default - none
   */
  readonly metadata?: PodMetadata;
}

/** Where a metric's measurements come from. */
export class MetricProvider {
  /** A PromQL query against Prometheus. */
  public static prometheus(props: PrometheusProviderProps): MetricProvider {
    return new MetricProvider({
      prometheus: compact({
        address: props.address,
        query: props.query,
        timeout: wholeSeconds(props.timeout),
        insecure: props.insecure,
        headers: props.headers ? Object.entries(props.headers).map(([key, value]) => ({ key, value })) : undefined,
      }),
    });
  }

  /** An HTTP call whose JSON response is the measurement. */
  public static web(props: WebProviderProps): MetricProvider {
    if (props.body !== undefined && props.jsonBody !== undefined) {
      fail(undefined, 'analysis-metric-provider', `web provider for ${show(props.url)} has both body and jsonBody`, 'keep one of body and jsonBody');
    }
    return new MetricProvider({
      web: compact({
        url: props.url,
        method: props.method,
        headers: props.headers ? Object.entries(props.headers).map(([key, value]) => ({ key, value })) : undefined,
        body: props.body,
        jsonBody: props.jsonBody,
        timeoutSeconds: wholeSeconds(props.timeout),
        jsonPath: props.jsonPath,
        insecure: props.insecure,
      }),
    });
  }

  /**
   * A Kubernetes Job: success or failure of the Job is the measurement. Its pods get the restricted security
   * settings and resource requests wherever the spec leaves them out.
   */
  public static job(props: JobProviderProps): MetricProvider {
    const pod = props.spec.template?.spec;
    const spec = pod ? { ...props.spec, template: { ...props.spec.template, spec: restrictedPodSpec(pod) } } : props.spec;
    return new MetricProvider({ job: compact({ metadata: props.metadata ? compact({ ...props.metadata }) : undefined, spec }) });
  }

  private constructor(private readonly json: Json) {}

  /** The `provider` object. */
  public toJson(): Json {
    return this.json;
  }
}

/** One metric of an analysis template. */
export interface MetricProps {
  /** Unique name within the template. */
  readonly name: string;
  /** Where measurements come from. */
  readonly provider: MetricProvider;
  /**
   * Time between measurements.
   * @default - a single measurement
   */
  readonly interval?: Duration;
  /**
   * Wait before the first measurement.
   * @default - none
   */
  readonly initialDelay?: Duration;
  /**
   * Number of measurements. With an interval and no count the metric runs until the analysis is stopped, which
   * only background analysis may do.
   * @default - 1 without interval, unlimited with one
   */
  readonly count?: number;
  /**
   * Expression on `result` that marks a measurement successful, e.g. `result[0] >= 0.95`.
   * @default - none
   */
  readonly successCondition?: string;
  /**
   * Expression on `result` that marks a measurement failed.
   * @default - none
   */
  readonly failureCondition?: string;
  /**
   * Failed measurements tolerated before the metric fails (-1 disables).
   * @default 0
   */
  readonly failureLimit?: number;
  /**
   * Inconclusive measurements tolerated.
   * @default 0
   */
  readonly inconclusiveLimit?: number;
  /**
   * Measurement errors in a row tolerated.
   * @default 4
   */
  readonly consecutiveErrorLimit?: number;
  /**
   * Successful measurements in a row that end the metric successfully (0 = off).
   * @default 0
   */
  readonly consecutiveSuccessLimit?: number;
}

/** @internal Renders a metric as it appears under `spec.metrics`. */
export function renderMetric(m: MetricProps): Json {
  return compact({
    name: m.name,
    interval: goDuration(m.interval),
    initialDelay: goDuration(m.initialDelay),
    count: m.count,
    successCondition: m.successCondition,
    failureCondition: m.failureCondition,
    failureLimit: m.failureLimit,
    inconclusiveLimit: m.inconclusiveLimit,
    consecutiveErrorLimit: m.consecutiveErrorLimit,
    consecutiveSuccessLimit: m.consecutiveSuccessLimit,
    provider: m.provider.toJson(),
  });
}

/** An argument an analysis template declares (`{{args.name}}` in its metrics). */
export class TemplateArg {
  /** An argument every referencing analysis must supply. */
  public static required(name: string): TemplateArg {
    return new TemplateArg({ name });
  }

  /** An argument with a default value that analyses may override. */
  public static withDefault(name: string, value: string): TemplateArg {
    return new TemplateArg({ name, value });
  }

  /** An argument read from a Secret key (e.g. an API token). */
  public static fromSecret(name: string, secretName: string, key: string): TemplateArg {
    return new TemplateArg({ name, valueFrom: { secretKeyRef: { name: secretName, key } } });
  }

  /** An argument read from a field of the analysis run, e.g. `metadata.namespace`. */
  public static fromField(name: string, fieldPath: string): TemplateArg {
    return new TemplateArg({ name, valueFrom: { fieldRef: { fieldPath } } });
  }

  private constructor(private readonly json: Json) {}

  /** The argument's name. */
  public get name(): string {
    return this.json.name;
  }

  /** The `spec.args[]` entry. */
  public toJson(): Json {
    return this.json;
  }
}
