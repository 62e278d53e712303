import { Duration, RuleViolation, assertValue, checkedValue, rethrowRefusal, wholeSeconds } from '../../core';
import { BackgroundAnalysisProps, RolloutAnalysisProps, analysisValueViolations, renderAnalysis } from './analysis';
import { CanaryStep } from './canary-step';
import { IResourceRef, IntOrPercent, Json, PodMetadata, compact } from './common';
import { TrafficRouting } from './traffic-routing';
import { NON_NEGATIVE, intViolations, metadataViolations } from '../values';

/** Spreads new pods away from the nodes of the old ones. */
export class AntiAffinity {
  /** Soft: prefer other nodes, with a weight of 1..100. */
  public static preferred(weight: number): AntiAffinity {
    // a whole number here; Argo's 1..100 rule (anti-affinity) runs at synth
    return checkedValue(() => assertValue(undefined, intViolations('AntiAffinity.preferred weight', weight)),
      () => new AntiAffinity({ preferredDuringSchedulingIgnoredDuringExecution: { weight } }));
  }

  /** Hard: never share a node with the other version. */
  public static required(): AntiAffinity {
    return new AntiAffinity({ requiredDuringSchedulingIgnoredDuringExecution: {} });
  }

  private constructor(public readonly json: Json) {}
}

/** Two Services the controller alternates between instead of canary/stable. */
export interface PingPongServices {
  /** The ping Service. */
  readonly pingService: IResourceRef;
  /** The pong Service. */
  readonly pongService: IResourceRef;
}

/** Props of {@link RolloutStrategy.canary}. */
export interface CanaryStrategyProps {
  /**
   * The update steps; more can be added with `Rollout.addStep()`.
   * @default - none (the update goes straight to 100 %)
   */
  readonly steps?: CanaryStep[];
  /**
   * Service the controller points at the canary pods.
   * @default - none (required with most traffic routers)
   */
  readonly canaryService?: IResourceRef;
  /**
   * Service the controller points at the stable pods.
   * @default - none (required with most traffic routers)
   */
  readonly stableService?: IResourceRef;
  /**
   * How traffic is shifted.
   * @default - by replica counts only
   */
  readonly trafficRouting?: TrafficRouting;
  /**
   * Extra pods allowed above the desired count during the update.
   * @default IntOrPercent.percent(25)
   */
  readonly maxSurge?: IntOrPercent;
  /**
   * Pods that may be unavailable during the update.
   * @default IntOrPercent.percent(25)
   */
  readonly maxUnavailable?: IntOrPercent;
  /**
   * Analysis that runs in the background for the whole update.
   * @default - none
   */
  readonly analysis?: BackgroundAnalysisProps;
  /**
   * Keep canary and stable pods on different nodes.
   * @default - no anti-affinity
   */
  readonly antiAffinity?: AntiAffinity;
  /**
   * Extra metadata for canary pods.
   * @default - none
   */
  readonly canaryMetadata?: PodMetadata;
  /**
   * Extra metadata for stable pods.
   * @default - none
   */
  readonly stableMetadata?: PodMetadata;
  /**
   * Delay before the old ReplicaSet is scaled down after a traffic switch (traffic routing only; whole seconds).
   * @default Duration.seconds(30)
   */
  readonly scaleDownDelay?: Duration;
  /**
   * Old ReplicaSets kept running during their scale-down delay.
   * @default - no limit
   */
  readonly scaleDownDelayRevisionLimit?: number;
  /**
   * Delay before the canary is scaled down on abort (traffic routing only; zero keeps it).
   * @default Duration.seconds(30)
   */
  readonly abortScaleDownDelay?: Duration;
  /**
   * Scale the stable ReplicaSet down as the canary takes traffic (traffic routing only).
   * @default false
   */
  readonly dynamicStableScale?: boolean;
  /**
   * Ping-pong Services instead of canary/stable (ALB, Istio, plugins).
   * @default - none
   */
  readonly pingPong?: PingPongServices;
  /**
   * Minimum pods per ReplicaSet (traffic routing only).
   * @default - none
   */
  readonly minPodsPerReplicaSet?: number;
  /**
   * How many of a step's pods must be available before the canary moves on (`IntOrPercent.count(3)` or
   * `IntOrPercent.percent(80)`), for large ReplicaSets where the last pods are slow to start.
   * @default - 100 % of the step's replicas
   */
  readonly replicaProgressThreshold?: IntOrPercent;
}

/** Props of {@link RolloutStrategy.blueGreen}. */
export interface BlueGreenStrategyProps {
  /** The Service that receives production traffic. */
  readonly activeService: IResourceRef;
  /**
   * A Service that reaches the new version before promotion.
   * @default - none
   */
  readonly previewService?: IResourceRef;
  /**
   * Pods of the new version before promotion.
   * @default - the full replica count
   */
  readonly previewReplicaCount?: number;
  /**
   * Promote automatically once the new version is ready.
   * @default true
   */
  readonly autoPromotionEnabled?: boolean;
  /**
   * Promote automatically this long after the new version is ready (whole seconds).
   * @default - immediately (or never, without auto-promotion)
   */
  readonly autoPromotionDelay?: Duration;
  /**
   * Pods that may be unavailable during the update.
   * @default - the controller's default
   */
  readonly maxUnavailable?: IntOrPercent;
  /**
   * Delay before the old version is scaled down after promotion (whole seconds).
   * @default Duration.seconds(30)
   */
  readonly scaleDownDelay?: Duration;
  /**
   * Old ReplicaSets kept running during their scale-down delay (at most revisionHistoryLimit).
   * @default - no limit
   */
  readonly scaleDownDelayRevisionLimit?: number;
  /**
   * Analysis that must pass before the switch.
   * @default - none
   */
  readonly prePromotionAnalysis?: RolloutAnalysisProps;
  /**
   * Analysis after the switch; failure switches back.
   * @default - none
   */
  readonly postPromotionAnalysis?: RolloutAnalysisProps;
  /**
   * Keep both versions on different nodes.
   * @default - no anti-affinity
   */
  readonly antiAffinity?: AntiAffinity;
  /**
   * Extra metadata on preview pods.
   * @default - none
   */
  readonly previewMetadata?: PodMetadata;
  /**
   * Extra metadata on active pods.
   * @default - none
   */
  readonly activeMetadata?: PodMetadata;
  /**
   * Delay before the preview is scaled down on abort (whole seconds).
   * @default Duration.seconds(30)
   */
  readonly abortScaleDownDelay?: Duration;
}

/**
 * Runs a strategy's value checks: refusals of the values it is made of (steps, durations, IntOrPercent…), whole
 * seconds where Argo writes `…Seconds`, then `violations`. A refusal is kept on the strategy for its Rollout to throw.
 */
function checks(parts: ReadonlyArray<object | undefined>, seconds: ReadonlyArray<Duration | undefined>, violations: () => RuleViolation[]): () => void {
  return () => {
    for (const p of parts) rethrowRefusal(p);
    for (const d of seconds) wholeSeconds(d);
    assertValue(undefined, violations());
  };
}

const mdViolations = (...ms: Array<PodMetadata | undefined>): RuleViolation[] =>
  ms.flatMap((m) => metadataViolations({ labels: m?.labels, annotations: m?.annotations }));

const md = (m?: PodMetadata): Json | undefined => (m ? compact({ labels: m.labels, annotations: m.annotations }) : undefined);

/** How a Rollout replaces pods: canary (steps) or blue-green (two Services). */
export class RolloutStrategy {
  /** A canary update: steps shift weight to the new version, gated by pauses and analyses. */
  public static canary(props: CanaryStrategyProps = {}): RolloutStrategy {
    const refs = [props.canaryService, props.stableService, props.pingPong?.pingService, props.pingPong?.pongService]
      .filter((r): r is IResourceRef => r !== undefined);
    const check = checks([...props.steps ?? [], props.maxSurge, props.maxUnavailable, props.antiAffinity, props.replicaProgressThreshold, props.trafficRouting,
      ...props.analysis?.args ?? []], [props.scaleDownDelay, props.abortScaleDownDelay], () => [
      ...intViolations('scaleDownDelayRevisionLimit', props.scaleDownDelayRevisionLimit, NON_NEGATIVE),
      ...intViolations('minPodsPerReplicaSet', props.minPodsPerReplicaSet, NON_NEGATIVE),
      ...(props.analysis ? analysisValueViolations('analysis', props.analysis) : []),
      ...mdViolations(props.canaryMetadata, props.stableMetadata),
    ]);
    return checkedValue(check, () => new RolloutStrategy('canary', props.steps ?? [], (steps) => ({
      canary: compact({
        canaryService: props.canaryService?.name,
        stableService: props.stableService?.name,
        canaryMetadata: md(props.canaryMetadata),
        stableMetadata: md(props.stableMetadata),
        maxSurge: props.maxSurge?.value,
        maxUnavailable: props.maxUnavailable?.value,
        steps: steps.map((s) => s.toJson()),
        trafficRouting: props.trafficRouting?.toJson(),
        analysis: props.analysis ? renderAnalysis(props.analysis) : undefined,
        antiAffinity: props.antiAffinity?.json,
        scaleDownDelaySeconds: wholeSeconds(props.scaleDownDelay),
        scaleDownDelayRevisionLimit: props.scaleDownDelayRevisionLimit,
        abortScaleDownDelaySeconds: wholeSeconds(props.abortScaleDownDelay),
        dynamicStableScale: props.dynamicStableScale,
        pingPong: props.pingPong ? { pingService: props.pingPong.pingService.name, pongService: props.pingPong.pongService.name } : undefined,
        minPodsPerReplicaSet: props.minPodsPerReplicaSet,
        replicaProgressThreshold: replicaProgressThreshold(props.replicaProgressThreshold),
      }),
    }), refs, props.trafficRouting, [
      ...(props.analysis ? [{ where: 'canary.analysis', analysis: props.analysis, background: true }] : []),
    ]));
  }

  /** A blue-green update: the new version comes up behind the preview Service, then the active Service switches. */
  public static blueGreen(props: BlueGreenStrategyProps): RolloutStrategy {
    const refs = [props.activeService, props.previewService].filter((r): r is IResourceRef => r !== undefined);
    const check = checks([props.maxUnavailable, props.antiAffinity, ...props.prePromotionAnalysis?.args ?? [], ...props.postPromotionAnalysis?.args ?? []],
      [props.autoPromotionDelay, props.scaleDownDelay, props.abortScaleDownDelay], () => [
        ...intViolations('previewReplicaCount', props.previewReplicaCount, NON_NEGATIVE),
        ...intViolations('scaleDownDelayRevisionLimit', props.scaleDownDelayRevisionLimit, NON_NEGATIVE),
        ...(props.prePromotionAnalysis ? analysisValueViolations('prePromotionAnalysis', props.prePromotionAnalysis) : []),
        ...(props.postPromotionAnalysis ? analysisValueViolations('postPromotionAnalysis', props.postPromotionAnalysis) : []),
        ...mdViolations(props.previewMetadata, props.activeMetadata),
      ]);
    return checkedValue(check, () => new RolloutStrategy('blueGreen', [], () => ({
      blueGreen: compact({
        activeService: props.activeService.name,
        previewService: props.previewService?.name,
        previewReplicaCount: props.previewReplicaCount,
        autoPromotionEnabled: props.autoPromotionEnabled,
        autoPromotionSeconds: wholeSeconds(props.autoPromotionDelay),
        maxUnavailable: props.maxUnavailable?.value,
        scaleDownDelaySeconds: wholeSeconds(props.scaleDownDelay),
        scaleDownDelayRevisionLimit: props.scaleDownDelayRevisionLimit,
        prePromotionAnalysis: props.prePromotionAnalysis ? renderAnalysis(props.prePromotionAnalysis) : undefined,
        postPromotionAnalysis: props.postPromotionAnalysis ? renderAnalysis(props.postPromotionAnalysis) : undefined,
        antiAffinity: props.antiAffinity?.json,
        previewMetadata: md(props.previewMetadata),
        activeMetadata: md(props.activeMetadata),
        abortScaleDownDelaySeconds: wholeSeconds(props.abortScaleDownDelay),
      }),
    }), refs, undefined, [
      ...(props.prePromotionAnalysis ? [{ where: 'blueGreen.prePromotionAnalysis', analysis: props.prePromotionAnalysis, background: false }] : []),
      ...(props.postPromotionAnalysis ? [{ where: 'blueGreen.postPromotionAnalysis', analysis: props.postPromotionAnalysis, background: false }] : []),
    ]));
  }

  private constructor(
    /** `canary` or `blueGreen`. */
    public readonly kind: 'canary' | 'blueGreen',
    /** The initial canary steps. */
    public readonly steps: CanaryStep[],
    private readonly produce: (steps: CanaryStep[]) => Json,
    /** Services the strategy names (for reference checks). */
    public readonly services: IResourceRef[],
    /** The traffic routing, if any. */
    public readonly trafficRouting: TrafficRouting | undefined,
    /** Analyses outside the steps, for reference checks. */
    public readonly analyses: Array<{ where: string; analysis: RolloutAnalysisProps; background: boolean }>,
  ) {}

  /** Renders the `strategy` object with the given steps. */
  public render(steps: CanaryStep[]): Json {
    return this.produce(steps);
  }
}

/** `{ type: Pods | Percent, value }` of an IntOrPercent. */
function replicaProgressThreshold(t: IntOrPercent | undefined): Json | undefined {
  if (t === undefined) return undefined;
  return typeof t.value === 'number' ? { type: 'Pods', value: t.value } : { type: 'Percent', value: Number(t.value.replace('%', '')) };
}
