import { RuleViolation } from '../../core';
import { Json, compact } from './common';
import { NON_NEGATIVE, intViolations } from '../values';
import { IAnalysisTemplate } from './analysis-template';

/** Which ReplicaSet's pod-template hash an argument receives. */
export enum PodTemplateHash {
  /** The stable ReplicaSet's hash. */
  STABLE = 'Stable',
  /** The newest (canary) ReplicaSet's hash. */
  LATEST = 'Latest',
}

/** A value passed to a template argument by an analysis in a Rollout or Experiment. */
export class AnalysisArg {
  /** A literal value. */
  public static value(name: string, value: string): AnalysisArg {
    return new AnalysisArg({ name, value });
  }

  /** The pod-template hash of the stable or the latest ReplicaSet (to query one version's pods). */
  public static podTemplateHash(name: string, which: PodTemplateHash): AnalysisArg {
    return new AnalysisArg({ name, valueFrom: { podTemplateHashValue: which } });
  }

  /** A field of the Rollout, e.g. `metadata.name` or `metadata.labels['app']` (downward API paths). */
  public static fieldRef(name: string, fieldPath: string): AnalysisArg {
    return new AnalysisArg({ name, valueFrom: { fieldRef: { fieldPath } } });
  }

  private constructor(private readonly json: Json) {}

  /** The argument name. */
  public get name(): string {
    return this.json.name;
  }

  /** The `args[]` entry. */
  public toJson(): Json {
    return this.json;
  }
}

/** An analysis run by a Rollout: which templates, with which args. */
export interface RolloutAnalysisProps {
  /** The templates to run together (their metrics must have unique names). */
  readonly templates: IAnalysisTemplate[];
  /**
   * Values for the templates' args.
   * @default - none
   */
  readonly args?: AnalysisArg[];
  /**
   * Metrics to run in dry-run mode (recorded, never failing).
   * @default - none
   */
  readonly dryRun?: string[];
  /**
   * How many measurements to keep per metric.
   * @default - the controller's default (10)
   */
  readonly measurementRetention?: Record<string, number>;
}

/** Background analysis of a canary: starts with the rollout (or at `startingStep`) and runs alongside the steps. */
export interface BackgroundAnalysisProps extends RolloutAnalysisProps {
  /**
   * Index of the step at which the analysis starts.
   * @default - from the start of the update
   */
  readonly startingStep?: number;
}

/** @internal The shared value rules of an analysis: retention limits and the starting step are whole numbers ≥ 0. */
export function analysisValueViolations(where: string, a: RolloutAnalysisProps & { startingStep?: number }): RuleViolation[] {
  return [
    ...Object.entries(a.measurementRetention ?? {}).flatMap(([m, limit]) => intViolations(`${where}.measurementRetention ${JSON.stringify(m)}`, limit, NON_NEGATIVE)),
    ...intViolations(`${where}.startingStep`, a.startingStep, NON_NEGATIVE),
  ];
}

/** @internal Renders a `RolloutAnalysis` object. */
export function renderAnalysis(a: RolloutAnalysisProps & { startingStep?: number }): Json {
  return compact({
    templates: a.templates.map((t) => compact({ templateName: t.name, clusterScope: t.clusterScope ? true : undefined })),
    args: (a.args ?? []).map((x) => x.toJson()),
    dryRun: (a.dryRun ?? []).map((metricName) => ({ metricName })),
    measurementRetention: Object.entries(a.measurementRetention ?? {}).map(([metricName, limit]) => ({ metricName, limit })),
    startingStep: a.startingStep,
  });
}
