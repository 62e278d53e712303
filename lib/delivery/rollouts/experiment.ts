import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { FinalDocument, addRules, Duration, goDuration, labelViolations, RuleViolation, show, wholeSeconds, constructId } from '../../core';
import { AnalysisArg } from './analysis';
import { IAnalysisTemplate } from './analysis-template';
import { Json, PodTemplate, compact, resolveRef } from './common';
import { argResolutionViolations, experimentViolations, terminationViolations } from './validation';
import { checkReferencesOf } from '../references';
import { NON_NEGATIVE, checkProps, intViolations, metadataViolations } from '../values';

/** One ReplicaSet of an Experiment. */
export interface ExperimentTemplate {
  /** Unique name within the experiment. */
  readonly name: string;
  /** The pods to run. */
  readonly template: PodTemplate;
  /**
   * Pod selector labels.
   * @default - the template's labels
   */
  readonly selector?: Record<string, string>;
  /**
   * Pod count.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Seconds a pod must be ready to count as available.
   * @default 0
   */
  readonly minReadySeconds?: number;
  /**
   * Create a Service for these pods, with this name.
   * @default - no Service
   */
  readonly serviceName?: string;
}

/** An analysis run against an Experiment. */
export interface ExperimentAnalysis {
  /** Name within the experiment. */
  readonly name: string;
  /** The template to run. */
  readonly template: IAnalysisTemplate;
  /**
   * Values for the template's args.
   * @default - none
   */
  readonly args?: AnalysisArg[];
  /**
   * The experiment ends when this analysis ends.
   * @default false
   */
  readonly requiredForCompletion?: boolean;
}

/** Props of {@link Experiment}. */
export interface ExperimentProps {
  /**
   * The object name.
   * @default - generated from the construct path
   */
  readonly name?: string;
  /**
   * The ReplicaSets to run.
   * @default - none; add with addTemplate()
   */
  readonly templates?: ExperimentTemplate[];
  /**
   * Analyses to run.
   * @default - none; add with addAnalysis()
   */
  readonly analyses?: ExperimentAnalysis[];
  /**
   * How long the experiment runs.
   * @default - until its required analyses end
   */
  readonly duration?: Duration;
  /**
   * Seconds a template may make no progress before the experiment fails.
   * @default 600
   */
  readonly progressDeadlineSeconds?: number;
  /**
   * Delay before the ReplicaSets are scaled down at the end (whole seconds).
   * @default Duration.seconds(30)
   */
  readonly scaleDownDelay?: Duration;
}

/** An Argo Rollouts `Experiment`: ReplicaSets run side by side for a while, judged by analyses. */
export class Experiment extends Construct {
  /** The L1 object (`Resource`). */
  public readonly resource: ApiObject;
  private readonly templates: ExperimentTemplate[] = [];
  private readonly analyses: ExperimentAnalysis[] = [];

  constructor(scope: Construct, id: string, private readonly props: ExperimentProps = {}) {
    super(scope, constructId(scope, id, 'Experiment', "new Experiment(scope, 'Main', …)"));
    checkProps(this, { ...props, templates: undefined, analyses: undefined }, [
      ...metadataViolations({ name: props.name }),
      ...intViolations('progressDeadlineSeconds', props.progressDeadlineSeconds, NON_NEGATIVE),
    ]);
    wholeSeconds(props.scaleDownDelay, this);
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Experiment',
      metadata: compact({ name: props.name }),
      spec: Lazy.any({ produce: () => this.renderSpec() }),
    });
    for (const t of props.templates ?? []) this.addTemplate(t);
    for (const a of props.analyses ?? []) this.addAnalysis(a);
    checkReferencesOf(this);
    addRules(this, () => this.check());
  }

  /** The object name. */
  public get name(): string {
    return this.resource.name;
  }

  /** Adds a ReplicaSet. */
  public addTemplate(template: ExperimentTemplate): this {
    const at = `templates[${this.templates.length}]`;
    checkProps(this, template, [
      ...labelViolations(template.selector, `${at} selector label`),
      ...intViolations(`${at}.replicas`, template.replicas, NON_NEGATIVE),
      ...intViolations(`${at}.minReadySeconds`, template.minReadySeconds, NON_NEGATIVE),
    ]);
    this.templates.push(template);
    return this;
  }

  /** Adds an analysis. */
  public addAnalysis(analysis: ExperimentAnalysis): this {
    checkProps(this, analysis);
    this.analyses.push(analysis);
    return this;
  }

  private renderSpec(): Json {
    return compact({
      duration: goDuration(this.props.duration),
      progressDeadlineSeconds: this.props.progressDeadlineSeconds,
      scaleDownDelaySeconds: wholeSeconds(this.props.scaleDownDelay),
      templates: this.templates.map((t) => {
        const pod = t.template.render();
        const sel = t.selector ?? pod.metadata?.labels;
        return compact({
          name: t.name,
          replicas: t.replicas,
          minReadySeconds: t.minReadySeconds,
          selector: sel ? { matchLabels: { ...sel } } : undefined,
          template: compact({ metadata: compact({ ...pod.metadata }), spec: pod.spec }),
          service: t.serviceName ? { name: t.serviceName } : undefined,
        });
      }),
      analyses: this.analyses.map((a) => compact({
        name: a.name,
        templateName: a.template.name,
        clusterScope: a.template.clusterScope ? true : undefined,
        args: (a.args ?? []).map((x) => x.toJson()),
        requiredForCompletion: a.requiredForCompletion,
      })),
    });
  }

  private check(): RuleViolation[] {
    const spec = FinalDocument.of(this.resource).spec ?? {};
    const out = experimentViolations(spec);
    for (const a of this.analyses) {
      const t = resolveRef(this, a.template.clusterScope ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate', a.template);
      if (!t) continue;
      const where = `analyses ${show(a.name)}`;
      out.push(...argResolutionViolations([t], (a.args ?? []).map((x) => x.toJson()), where));
      if (a.requiredForCompletion) out.push(...terminationViolations(t, where));
    }
    return out;
  }
}
