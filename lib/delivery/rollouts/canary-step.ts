import { Duration, RuleViolation, assertValue, checkedValue, goDuration, isRefused, rethrowRefusal } from '../../core';
import { AnalysisArg, RolloutAnalysisProps, analysisValueViolations, renderAnalysis } from './analysis';
import { IAnalysisTemplate } from './analysis-template';
import { Json, PodMetadata, StringMatch, compact } from './common';
import { NON_NEGATIVE, intViolations, metadataViolations } from '../values';

/** A value whose refusal is kept until a Rollout takes it: `checks` find the violations, `build` makes the value. */
function checked<T extends object>(violations: () => RuleViolation[], build: () => T, parts: ReadonlyArray<object | undefined> = []): T {
  return checkedValue(() => {
    for (const p of parts) rethrowRefusal(p);
    assertValue(undefined, violations());
  }, build);
}

/** How many canary pods `setCanaryScale` asks for. */
export class CanaryScale {
  /** A percentage of the Rollout's replicas, independent of the traffic weight. */
  public static weight(percent: number): CanaryScale {
    return checked(() => intViolations('setCanaryScale weight', percent, { min: 0, max: 100 }), () => new CanaryScale({ weight: percent }));
  }

  /** An absolute number of canary pods. */
  public static replicas(count: number): CanaryScale {
    return checked(() => intViolations('setCanaryScale replicas', count, NON_NEGATIVE), () => new CanaryScale({ replicas: count }));
  }

  /** Go back to scaling the canary with the traffic weight. */
  public static matchTrafficWeight(): CanaryScale {
    return new CanaryScale({ matchTrafficWeight: true });
  }

  private constructor(public readonly json: Json) {}
}

/** Which side of the Rollout an experiment template copies its pod template from. */
export enum SpecRef {
  /** The new (canary) pod template. */
  CANARY = 'canary',
  /** The stable pod template. */
  STABLE = 'stable',
}

/** One ReplicaSet an experiment step runs. */
export interface ExperimentStepTemplate {
  /** Unique name within the experiment. */
  readonly name: string;
  /** Which pod template to run. */
  readonly specRef: SpecRef;
  /**
   * Pod count.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Percent of traffic routed to this template (needs SMI, ALB, Istio or plugin routing).
   * @default - no traffic
   */
  readonly weight?: number;
  /**
   * Extra pod labels/annotations.
   * @default - none
   */
  readonly metadata?: PodMetadata;
  /**
   * Create a Service for the template's pods, with this name.
   * @default - no Service
   */
  readonly serviceName?: string;
}

/** An analysis an experiment runs. */
export interface ExperimentStepAnalysis {
  /** Name of this analysis within the experiment. */
  readonly name: string;
  /** The template to run. */
  readonly template: IAnalysisTemplate;
  /**
   * Values for the template's args.
   * @default - none
   */
  readonly args?: AnalysisArg[];
  /**
   * The experiment waits for this analysis to finish.
   * @default false
   */
  readonly requiredForCompletion?: boolean;
}

/** Props of {@link CanaryStep.experiment}. */
export interface ExperimentStepProps {
  /** The ReplicaSets to run. */
  readonly templates: ExperimentStepTemplate[];
  /**
   * How long the experiment runs.
   * @default - until its analyses finish
   */
  readonly duration?: Duration;
  /**
   * Analyses to run against the experiment.
   * @default - none
   */
  readonly analyses?: ExperimentStepAnalysis[];
}

/** A header match of `setHeaderRoute`. */
export interface HeaderRouteMatch {
  /** The request header name. */
  readonly headerName: string;
  /** How its value must match. */
  readonly headerValue: StringMatch;
}

/** A request match of `setMirrorRoute`. */
export interface MirrorRouteMatch {
  /**
   * HTTP method match.
   * @default - any method
   */
  readonly method?: StringMatch;
  /**
   * Path match.
   * @default - any path
   */
  readonly path?: StringMatch;
  /**
   * Header matches.
   * @default - none
   */
  readonly headers?: Record<string, StringMatch>;
}

/** Props of {@link CanaryStep.setMirrorRoute}. */
export interface MirrorRouteProps {
  /** A route listed in the traffic routing's managedRoutes. */
  readonly name: string;
  /**
   * Matching requests to copy to the canary; none removes the mirror route.
   * @default - remove the route
   */
  readonly match?: MirrorRouteMatch[];
  /**
   * Percent of matching requests to mirror.
   * @default 100
   */
  readonly percentage?: number;
}

/** One step of a canary update. Each step does exactly one thing. */
export class CanaryStep {
  /** Send `weight` percent of traffic to the canary (and, without traffic routing, scale it to that share). */
  public static setWeight(weight: number): CanaryStep {
    // a whole number here, like Delivery.canary's weights; the 0..maxTrafficWeight rule needs the Rollout (synth). A
    // non-number only comes from a file `slipway check` reads, whose schema check already names it.
    return checked(() => (typeof weight === 'number' ? intViolations('setWeight', weight) : []), () => new CanaryStep({ setWeight: weight }));
  }

  /** Pause for `duration`, or until promoted (`kubectl argo rollouts promote`) when no duration is given. */
  public static pause(duration?: Duration): CanaryStep {
    // A refused duration stays on the step, which the Rollout that takes it throws with its path.
    return checkedValue(() => rethrowRefusal(duration),
      () => new CanaryStep({ pause: duration ? { duration: isRefused(duration) ? '' : goDuration(duration) } : {} }));
  }

  /** Set the canary's pod count independently of its traffic weight (needs traffic routing). */
  public static setCanaryScale(scale: CanaryScale): CanaryStep {
    return checked(() => [], () => new CanaryStep({ setCanaryScale: scale.json }), [scale]);
  }

  /** Run an analysis; the rollout waits for it and aborts if it fails. */
  public static analysis(props: RolloutAnalysisProps): CanaryStep {
    return checked(() => analysisValueViolations('analysis', props), () => new CanaryStep({ analysis: renderAnalysis(props) }, props.templates), props.args ?? []);
  }

  /** Run extra ReplicaSets (e.g. baseline and canary) side by side, with optional analyses. */
  public static experiment(props: ExperimentStepProps): CanaryStep {
    return checked(() => props.templates.flatMap((t, i) => [
      ...intViolations(`experiment.templates[${i}].replicas`, t.replicas, NON_NEGATIVE),
      ...intViolations(`experiment.templates[${i}].weight`, t.weight, { min: 0, max: 100 }),
      ...metadataViolations({ labels: t.metadata?.labels, annotations: t.metadata?.annotations }),
    ]), () => CanaryStep.renderExperiment(props), [props.duration, ...(props.analyses ?? []).flatMap((a) => a.args ?? [])]);
  }

  private static renderExperiment(props: ExperimentStepProps): CanaryStep {
    return new CanaryStep({
      experiment: compact({
        duration: isRefused(props.duration) ? undefined : goDuration(props.duration),
        templates: props.templates.map((t) => compact({
          name: t.name,
          specRef: t.specRef,
          replicas: t.replicas,
          weight: t.weight,
          metadata: t.metadata ? compact({ ...t.metadata }) : undefined,
          service: t.serviceName ? { name: t.serviceName } : undefined,
        })),
        analyses: (props.analyses ?? []).map((a) => compact({
          name: a.name,
          templateName: a.template.name,
          clusterScope: a.template.clusterScope ? true : undefined,
          args: (a.args ?? []).map((x) => x.toJson()),
          requiredForCompletion: a.requiredForCompletion,
        })),
      }),
    }, (props.analyses ?? []).map((a) => a.template));
  }

  /** Route requests whose headers match to the canary through managed route `name`; no matches removes the route. */
  public static setHeaderRoute(name: string, match: HeaderRouteMatch[] = []): CanaryStep {
    return new CanaryStep({
      setHeaderRoute: compact({ name, match: match.map((m) => ({ headerName: m.headerName, headerValue: m.headerValue.toJson() })) }),
    });
  }

  /** Copy matching requests to the canary through managed route `name` (responses are discarded). */
  public static setMirrorRoute(props: MirrorRouteProps): CanaryStep {
    return checked(() => intViolations('setMirrorRoute percentage', props.percentage, { min: 0, max: 100 }), () => CanaryStep.renderMirrorRoute(props));
  }

  private static renderMirrorRoute(props: MirrorRouteProps): CanaryStep {
    return new CanaryStep({
      setMirrorRoute: compact({
        name: props.name,
        percentage: props.percentage,
        match: (props.match ?? []).map((m) => compact({
          method: m.method?.toJson(),
          path: m.path?.toJson(),
          headers: m.headers ? Object.fromEntries(Object.entries(m.headers).map(([k, s]) => [k, s.toJson()])) : undefined,
        })),
      }),
    });
  }

  /** Run a step plugin (registered with the controller) with its own configuration. */
  public static plugin(name: string, config?: Json): CanaryStep {
    return new CanaryStep({ plugin: compact({ name, config }) });
  }

  private constructor(private readonly json: Json,
    /** The analysis templates the step references (for synth-time reference checks). */
    public readonly templates: IAnalysisTemplate[] = []) {}

  /** The `steps[]` entry. */
  public toJson(): Json {
    return this.json;
  }
}
