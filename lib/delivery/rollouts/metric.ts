import { Duration, checkValue, fail, goDuration, show, wholeSeconds } from '../../core';
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

/** Datadog's aggregation of a series into one value (API v2). */
export enum DatadogAggregator {
  /** Average. */
  AVG = 'avg',
  /** Minimum. */
  MIN = 'min',
  /** Maximum. */
  MAX = 'max',
  /** Sum. */
  SUM = 'sum',
  /** Last value. */
  LAST = 'last',
  /** Percentile. */
  PERCENTILE = 'percentile',
  /** Mean. */
  MEAN = 'mean',
  /** L2 norm. */
  L2NORM = 'l2norm',
  /** Area. */
  AREA = 'area',
}

/** Props of {@link MetricProvider.datadog}. */
export interface DatadogProviderProps {
  /**
   * One query (`query`), or named `queries` combined by `formula` (API v2 only).
   * @default - none; set this or queries
   */
  readonly query?: string;
  /**
   * Named queries for `formula`.
   * @default - none
   */
  readonly queries?: Record<string, string>;
  /**
   * Formula over the named queries, e.g. `errors / requests`.
   * @default - none
   */
  readonly formula?: string;
  /**
   * API version.
   * @default 'v2' for queries/formula, else the controller's default
   */
  readonly apiVersion?: 'v1' | 'v2';
  /**
   * Aggregation (v2).
   * @default - Datadog's default
   */
  readonly aggregator?: DatadogAggregator;
  /**
   * Time window of the query.
   * @default 5m
   */
  readonly interval?: Duration;
  /**
   * Secret with `api-key`, `app-key` and `address`.
   * @default - the controller's `datadog` Secret
   */
  readonly secretName?: string;
}

/** One scope (baseline or canary) of a Kayenta judgement. */
export interface KayentaScope {
  /** The metric scope, e.g. the pod-template hash. */
  readonly scope: string;
  /** The region. */
  readonly region: string;
  /** Seconds per data point. */
  readonly step: number;
  /** Start (RFC 3339; usually `{{args.start-time}}`). */
  readonly start: string;
  /** End (RFC 3339). */
  readonly end: string;
}

/** Props of {@link MetricProvider.kayenta}. */
export interface KayentaProviderProps {
  /** Kayenta's address. */
  readonly address: string;
  /** Application name in Kayenta. */
  readonly application: string;
  /** The canary config to judge with. */
  readonly canaryConfigName: string;
  /** Accounts of the Kayenta setup. */
  readonly metricsAccountName: string;
  /** Configuration account. */
  readonly configurationAccountName: string;
  /** Storage account. */
  readonly storageAccountName: string;
  /** Scores (0..100) that pass and that are marginal. */
  readonly threshold: { readonly pass: number; readonly marginal: number };
  /** Named scope pairs. */
  readonly scopes: Array<{ readonly name: string; readonly control: KayentaScope; readonly experiment: KayentaScope }>;
}

/** A CloudWatch metric-data query (as in `GetMetricData`). */
export interface CloudWatchQuery {
  /** Query id, referenced by expressions. */
  readonly id: string;
  /**
   * A metric math expression over other ids.
   * @default - none; set this or metricStat
   */
  readonly expression?: string;
  /**
   * The metric to read.
   * @default - none
   */
  readonly metricStat?: { readonly namespace: string; readonly metricName: string; readonly dimensions?: Record<string, string>; readonly period: Duration; readonly stat: string; readonly unit?: string };
  /**
   * Return this query's data as the result.
   * @default true
   */
  readonly returnData?: boolean;
}

/** Where a metric's measurements come from. */
export class MetricProvider {
  /** Datadog metrics (one query, or several combined by a formula). */
  public static datadog(props: DatadogProviderProps): MetricProvider {
    return new MetricProvider(() => ({
      datadog: compact({
        query: props.query, queries: props.queries, formula: props.formula, apiVersion: props.apiVersion ?? (props.queries ? 'v2' : undefined),
        aggregator: props.aggregator, interval: goDuration(props.interval), secretRef: props.secretName ? { name: props.secretName } : undefined,
      }),
    }));
  }

  /** A New Relic NRQL query (`profile` names the controller's credentials Secret suffix). */
  public static newRelic(query: string, profile?: string): MetricProvider {
    return new MetricProvider(() => ({ newRelic: compact({ query, profile }) }));
  }

  /** AWS CloudWatch metric data over `interval`. */
  public static cloudWatch(queries: CloudWatchQuery[], interval?: Duration): MetricProvider {
    return new MetricProvider(() => ({
      cloudWatch: compact({
        interval: goDuration(interval),
        metricDataQueries: queries.map((q) => compact({
          id: q.id, expression: q.expression, returnData: q.returnData,
          metricStat: q.metricStat ? compact({
            metric: compact({ namespace: q.metricStat.namespace, metricName: q.metricStat.metricName,
              dimensions: q.metricStat.dimensions ? Object.entries(q.metricStat.dimensions).map(([name, value]) => ({ name, value })) : undefined }),
            period: wholeSeconds(q.metricStat.period), stat: q.metricStat.stat, unit: q.metricStat.unit,
          }) : undefined,
        })),
      }),
    }));
  }

  /** A Wavefront query. */
  public static wavefront(address: string, query: string): MetricProvider {
    return new MetricProvider(() => ({ wavefront: { address, query } }));
  }

  /** A Graphite query. */
  public static graphite(address: string, query: string): MetricProvider {
    return new MetricProvider(() => ({ graphite: { address, query } }));
  }

  /** An InfluxDB Flux query (`profile` names the controller's credentials Secret suffix). */
  public static influxdb(query: string, profile?: string): MetricProvider {
    return new MetricProvider(() => ({ influxdb: compact({ query, profile }) }));
  }

  /** A Kayenta canary judgement between a control and an experiment scope. */
  public static kayenta(props: KayentaProviderProps): MetricProvider {
    const scope = (s: KayentaScope) => ({ scope: s.scope, region: s.region, step: s.step, start: s.start, end: s.end });
    return new MetricProvider(() => ({
      kayenta: {
        address: props.address, application: props.application, canaryConfigName: props.canaryConfigName,
        metricsAccountName: props.metricsAccountName, configurationAccountName: props.configurationAccountName, storageAccountName: props.storageAccountName,
        threshold: { pass: props.threshold.pass, marginal: props.threshold.marginal },
        scopes: props.scopes.map((x) => ({ name: x.name, controlScope: scope(x.control), experimentScope: scope(x.experiment) })),
      },
    }));
  }

  /** A PromQL query against Prometheus. */
  public static prometheus(props: PrometheusProviderProps): MetricProvider {
    return new MetricProvider(() => ({
      prometheus: compact({
        address: props.address,
        query: props.query,
        timeout: wholeSeconds(props.timeout),
        insecure: props.insecure,
        headers: props.headers ? Object.entries(props.headers).map(([key, value]) => ({ key, value })) : undefined,
      }),
    }));
  }

  /** An HTTP call whose JSON response is the measurement. */
  public static web(props: WebProviderProps): MetricProvider {
    return new MetricProvider(() => {
      if (props.body !== undefined && props.jsonBody !== undefined) {
        fail(undefined, 'analysis-metric-provider', `web provider for ${show(props.url)} has both body and jsonBody`, 'keep one of body and jsonBody');
      }
      return {
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
      };
    });
  }

  /**
   * A Kubernetes Job: success or failure of the Job is the measurement. Its pods get the restricted security
   * settings and resource requests wherever the spec leaves them out.
   */
  public static job(props: JobProviderProps): MetricProvider {
    const pod = props.spec.template?.spec;
    const spec = pod ? { ...props.spec, template: { ...props.spec.template, spec: restrictedPodSpec(pod) } } : props.spec;
    return new MetricProvider(() => ({ job: compact({ metadata: props.metadata ? compact({ ...props.metadata }) : undefined, spec }) }));
  }

  private json: Json = {};

  private constructor(produce: () => Json) {
    // A refusal while rendering (a duration, body and jsonBody) stays on the provider, never rendered; the
    // AnalysisTemplate that takes the metric throws it with its path.
    checkValue(this, () => {
      this.json = produce();
    });
  }

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
   * only background analysis may do. This and the limits below also take an arg of the template
   * (`template.arg('count')`, written `{{args.count}}`): Argo resolves it before it validates the number.
   * @default - 1 without interval, unlimited with one
   */
  readonly count?: number | TemplateArg;
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
  readonly failureLimit?: number | TemplateArg;
  /**
   * Inconclusive measurements tolerated.
   * @default 0
   */
  readonly inconclusiveLimit?: number | TemplateArg;
  /**
   * Measurement errors in a row tolerated.
   * @default 4
   */
  readonly consecutiveErrorLimit?: number | TemplateArg;
  /**
   * Successful measurements in a row that end the metric successfully (0 = off).
   * @default 0
   */
  readonly consecutiveSuccessLimit?: number | TemplateArg;
}

/** A metric's int-or-string field: the number, or the arg's `{{args.<name>}}` placeholder. */
function intOrArg(v: number | TemplateArg | undefined): number | string | undefined {
  return v instanceof TemplateArg ? v.placeholder : v;
}

/** @internal Renders a metric as it appears under `spec.metrics`. */
export function renderMetric(m: MetricProps): Json {
  return compact({
    name: m.name,
    interval: goDuration(m.interval),
    initialDelay: goDuration(m.initialDelay),
    count: intOrArg(m.count),
    successCondition: m.successCondition,
    failureCondition: m.failureCondition,
    failureLimit: intOrArg(m.failureLimit),
    inconclusiveLimit: intOrArg(m.inconclusiveLimit),
    consecutiveErrorLimit: intOrArg(m.consecutiveErrorLimit),
    consecutiveSuccessLimit: intOrArg(m.consecutiveSuccessLimit),
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

  /** `{{args.<name>}}`: where a metric reads the argument (Argo substitutes it when the analysis runs). */
  public get placeholder(): string {
    return `{{args.${this.json.name}}}`;
  }

  /** The `spec.args[]` entry. */
  public toJson(): Json {
    return this.json;
  }
}
