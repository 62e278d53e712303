import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { FinalDocument, addRules, fail, NameForm, nameViolations, show, constructId } from '../../core';
import { IResourceRef, Json, compact } from './common';
import { MetricProps, TemplateArg, renderMetric } from './metric';
import { metricViolations } from './validation';
import { checkProps, intViolations, metadataViolations } from '../values';

/** A reference to an AnalysisTemplate or ClusterAnalysisTemplate, for analysis steps and experiments. */
export interface IAnalysisTemplate extends IResourceRef {
  /** True for a ClusterAnalysisTemplate (`clusterScope: true` in references). */
  readonly clusterScope: boolean;
}

/** Props shared by {@link AnalysisTemplate} and {@link ClusterAnalysisTemplate}. */
export interface AnalysisTemplateProps {
  /**
   * The object name.
   * @default - generated from the construct path
   */
  readonly name?: string;
  /**
   * The object namespace (ignored for the cluster-scoped kind).
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Arguments the metrics use as `{{args.name}}`.
   * @default - none; add with addArg()
   */
  readonly args?: TemplateArg[];
  /**
   * The metrics; at least one is needed by synth time.
   * @default - none; add with addMetric()
   */
  readonly metrics?: MetricProps[];
  /**
   * Metrics whose failures are recorded but never fail the analysis.
   * @default - none
   */
  readonly dryRun?: string[];
}

/** A metric's whole-number fields; each also takes an arg of the template. */
const LIMITS = ['count', 'failureLimit', 'inconclusiveLimit', 'consecutiveErrorLimit', 'consecutiveSuccessLimit'] as const;

/** Common body of both template kinds. */
export abstract class AnalysisTemplateBase extends Construct implements IAnalysisTemplate {
  /** The L1 object (`Resource`). */
  public readonly resource: ApiObject;
  /** Whether references need `clusterScope: true`. */
  public abstract readonly clusterScope: boolean;
  private readonly args: TemplateArg[] = [];
  private readonly metrics: MetricProps[] = [];
  private readonly dryRun: string[];

  protected constructor(scope: Construct, id: string, kind: string, props: AnalysisTemplateProps) {
    // the concrete kind checks the id (constructId) before this runs
    super(scope, id);
    checkProps(this, { ...props, metrics: undefined }, [
      ...metadataViolations({ name: props.name }),
      ...(props.namespace === undefined ? [] : nameViolations('metadata.namespace', props.namespace, NameForm.DNS_LABEL)),
    ]);
    this.dryRun = [...(props.dryRun ?? [])];
    const Resource = kind === 'ClusterAnalysisTemplate' ? ClusterScopedObject : ApiObject;
    this.resource = new Resource(this, 'Resource', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind,
      metadata: { name: props.name, ...(props.namespace ? { namespace: props.namespace } : {}) },
      spec: Lazy.any({ produce: () => this.renderSpec() }),
    });
    for (const a of props.args ?? []) this.addArg(a);
    for (const m of props.metrics ?? []) this.addMetric(m);
    addRules(this, () => metricViolations(FinalDocument.of(this.resource).spec?.metrics, `${kind} ${show(this.name)}`));
  }

  /** The object name. */
  public get name(): string {
    return this.resource.name;
  }

  /** Declares an argument; names must be unique. */
  public addArg(arg: TemplateArg): this {
    if (this.args.some((a) => a.name === arg.name)) {
      fail(this, 'analysis-args-resolve', `arg ${show(arg.name)} is declared twice`, 'declare each arg once');
    }
    this.args.push(arg);
    return this;
  }

  /**
   * The declared argument `name`, for a metric's count or limits (`count: template.arg('samples')`); rule
   * `analysis-args-resolve` when the template does not declare it.
   */
  public arg(name: string): TemplateArg {
    const found = this.args.find((a) => a.name === name);
    if (!found) {
      fail(this, 'analysis-args-resolve', `${show(`{{args.${name}}}`)}: arg ${show(name)} is not declared by ${show(this.name)}`,
        `declare it first with addArg(TemplateArg.withDefault(${show(name)}, …))`);
    }
    return found;
  }

  /** Adds a metric. */
  public addMetric(metric: MetricProps): this {
    const at = `metrics[${this.metrics.length}]`;
    for (const k of LIMITS) {
      const v = metric[k];
      if (v instanceof TemplateArg && !this.args.includes(v)) {
        fail(this, 'analysis-args-resolve', `${at}.${k} reads arg ${show(v.name)}, which ${show(this.name)} does not declare`,
          `pass an arg of this template: template.arg(${show(v.name)})`);
      }
    }
    // whole numbers where Argo takes an int (or a `{{args…}}` string); its limit rules run at synth
    checkProps(this, metric, LIMITS
      .flatMap((k) => (typeof metric[k] === 'number' ? intViolations(`${at}.${k}`, metric[k] as number) : [])));
    this.metrics.push(metric);
    return this;
  }

  /** The names of the declared args. */
  public get argNames(): string[] {
    return this.args.map((a) => a.name);
  }

  private renderSpec(): Json {
    return compact({
      args: this.args.map((a) => a.toJson()),
      metrics: this.metrics.map(renderMetric),
      dryRun: this.dryRun.map((metricName) => ({ metricName })),
    });
  }
}

/** An ApiObject that never takes the chart's default namespace (cluster-scoped kinds). */
class ClusterScopedObject extends ApiObject {
  public toJson(): any {
    const json = super.toJson();
    if (json.metadata) delete json.metadata.namespace;
    return json;
  }
}

/**
 * An Argo Rollouts AnalysisTemplate: metrics (Prometheus, web, Job) with success and failure conditions that
 * analysis steps, background analysis and blue-green promotions run.
 */
export class AnalysisTemplate extends AnalysisTemplateBase {
  /** A reference to a namespaced template created elsewhere. */
  public static fromName(name: string): IAnalysisTemplate {
    return { name, clusterScope: false };
  }

  /** Always false: a namespaced template. */
  public readonly clusterScope = false;

  constructor(scope: Construct, id: string, props: AnalysisTemplateProps = {}) {
    super(scope, constructId(scope, id, 'AnalysisTemplate', "new AnalysisTemplate(scope, 'Main', …)"), 'AnalysisTemplate', props);
  }
}
