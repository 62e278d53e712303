import { ApiObject, Chart, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { addRules, Duration, fail, NameForm, nameViolations, RuleViolation, show, wholeSeconds, constructId } from '../../core';
import { IAnalysisTemplate } from './analysis-template';
import { CanaryStep } from './canary-step';
import { IResourceRef, Json, PodTemplate, RestartTime, compact, resolveRef } from './common';
import { NON_NEGATIVE, checkProps, intViolations, metadataViolations } from '../values';
import { RolloutStrategy } from './strategy';
import { checkReferencesOf } from '../references';
import {
  argResolutionViolations, ingressViolations, istioRouteViolations, routerRefViolations, rolloutSpecViolations,
  serviceSelectsViolations, terminationViolations,
} from './validation';

/** What the Rollout does with a referenced Deployment once it takes over. */
export enum WorkloadScaleDown {
  /** Leave the Deployment running. */
  NEVER = 'never',
  /** Scale it to zero once the Rollout is healthy. */
  ON_SUCCESS = 'onsuccess',
  /** Scale it down step by step as the Rollout scales up. */
  PROGRESSIVELY = 'progressively',
}

/** An existing workload whose pod template the Rollout uses (`workloadRef`). */
export class WorkloadRef {
  /**
   * An `apps/v1` Deployment. Pass the construct (e.g. a cdk8s-plus Deployment) so synth can read its labels, or
   * `{ name }` for one created elsewhere.
   */
  public static deployment(deployment: IResourceRef, scaleDown?: WorkloadScaleDown): WorkloadRef {
    return new WorkloadRef(deployment, compact({ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.name, scaleDown }));
  }

  private constructor(
    /** The referenced object. */
    public readonly target: IResourceRef,
    /** The `workloadRef` object. */
    public readonly json: Json,
  ) {}
}

/** How many finished AnalysisRuns a Rollout keeps. */
export interface AnalysisRunHistory {
  /**
   * Successful runs kept.
   * @default 5
   */
  readonly successful?: number;
  /**
   * Failed, errored or inconclusive runs kept.
   * @default 5
   */
  readonly unsuccessful?: number;
}

/** Props of {@link Rollout}. */
export interface RolloutProps {
  /**
   * The object name.
   * @default - generated from the construct path
   */
  readonly name?: string;
  /**
   * The namespace.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Labels on the Rollout object itself (not its pods).
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * How pods are replaced.
   * @default RolloutStrategy.canary() (no steps)
   */
  readonly strategy?: RolloutStrategy;
  /**
   * The pod template; set this or `workloadRef`.
   * @default - none
   */
  readonly template?: PodTemplate;
  /**
   * Take the pod template from an existing Deployment instead.
   * @default - none
   */
  readonly workloadRef?: WorkloadRef;
  /**
   * Pod selector labels.
   * @default - the template's labels (or the referenced Deployment's selector)
   */
  readonly selector?: Record<string, string>;
  /**
   * Desired pods. Leave unset when an autoscaler manages the Rollout.
   * @default - unset (the controller uses 1)
   */
  readonly replicas?: number;
  /**
   * Seconds a new pod must be ready before it counts as available.
   * @default 0
   */
  readonly minReadySeconds?: number;
  /**
   * Old ReplicaSets kept for rollback.
   * @default 10
   */
  readonly revisionHistoryLimit?: number;
  /**
   * Time an update may make no progress before it is marked failed (whole seconds).
   * @default Duration.seconds(600)
   */
  readonly progressDeadline?: Duration;
  /**
   * Abort the update when the progress deadline passes.
   * @default false
   */
  readonly progressDeadlineAbort?: boolean;
  /**
   * Create the Rollout paused.
   * @default false
   */
  readonly paused?: boolean;
  /**
   * Restart every pod (one at a time, respecting maxUnavailable) once this time has passed: bump it to roll the
   * pods without changing the template. A fixed value, so synth stays deterministic: a `Date`, or
   * `RestartTime.of('2026-12-01T22:00:00Z')` to write the time exactly as given.
   * @default - no restart
   */
  readonly restartAt?: Date | RestartTime;
  /**
   * Roll back to any of this many recent revisions without running the steps again.
   * @default - steps run on every rollback
   */
  readonly rollbackWindow?: number;
  /**
   * Successful and unsuccessful AnalysisRuns kept per Rollout.
   * @default - 5 of each
   */
  readonly analysisRunHistory?: AnalysisRunHistory;
}

/**
 * An Argo Rollouts `Rollout`: a Deployment replacement that updates pods by canary steps or blue-green switch,
 * gated by analyses. Every controller rule and the references to its Services, VirtualService, Ingress and
 * analysis templates are checked at synth.
 */
export class Rollout extends Construct {
  /** API version of the kind. */
  public readonly apiVersion = 'argoproj.io/v1alpha1';
  /** The kind. */
  public readonly kind = 'Rollout';
  /** The L1 object (`Resource`). */
  public readonly resource: ApiObject;
  /** The strategy. */
  public readonly strategy: RolloutStrategy;
  private readonly steps: CanaryStep[];
  private readonly props: RolloutProps;

  constructor(scope: Construct, id: string, props: RolloutProps = {}) {
    super(scope, constructId(scope, id, 'Rollout', "new Rollout(scope, 'Main', …)"));
    const nonNegative = { ...NON_NEGATIVE, rangeRule: 'rollout-non-negative' };
    checkProps(this, props, [
      ...metadataViolations({ name: props.name, labels: props.labels }),
      ...(props.namespace === undefined ? [] : nameViolations('metadata.namespace', props.namespace, NameForm.DNS_LABEL)),
      ...([['replicas', props.replicas], ['minReadySeconds', props.minReadySeconds], ['revisionHistoryLimit', props.revisionHistoryLimit],
        ['rollbackWindow', props.rollbackWindow], ['analysisRunHistory.successful', props.analysisRunHistory?.successful],
        ['analysisRunHistory.unsuccessful', props.analysisRunHistory?.unsuccessful]] as const).flatMap(([what, x]) => intViolations(what, x, nonNegative)),
    ]);
    wholeSeconds(props.progressDeadline, this);
    this.props = props;
    this.strategy = props.strategy ?? RolloutStrategy.canary();
    this.steps = [...this.strategy.steps];
    if (props.template && props.workloadRef) {
      fail(this, 'rollout-workload-ref-template', 'both template and workloadRef are set: template must be empty for workload reference rollout',
        'use either a pod template or a workloadRef');
    }
    if (props.restartAt instanceof Date && Number.isNaN(props.restartAt.getTime())) {
      fail(this, 'rollout-restart-at', `restartAt ${show(String(props.restartAt))} is not a valid time`, "pass a fixed Date such as new Date('2026-12-01T22:00:00Z')");
    }
    if (props.restartAt instanceof Date && props.restartAt.getUTCMilliseconds() !== 0) {
      fail(this, 'rollout-restart-at', `restartAt ${show(props.restartAt.toISOString())} has milliseconds: Kubernetes times are whole seconds (RFC 3339)`, 'round restartAt to whole seconds');
    }
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: this.apiVersion,
      kind: this.kind,
      metadata: compact({ name: props.name, namespace: props.namespace, labels: props.labels }),
      spec: Lazy.any({ produce: () => this.renderSpec() }),
    });
    checkReferencesOf(this);
    addRules(this, () => this.check());
    checkSharedServicesOnce(this);
  }

  /** The object name. */
  public get name(): string {
    return this.resource.name;
  }

  /** Appends a canary step (canary strategy only). */
  public addStep(step: CanaryStep): this {
    if (this.strategy.kind !== 'canary') {
      fail(this, 'rollout-strategy', `addStep on a ${this.strategy.kind} Rollout: only canary Rollouts have steps`, 'use RolloutStrategy.canary()');
    }
    checkProps(this, step);
    this.steps.push(step);
    return this;
  }

  /** The labels of the pods this Rollout runs (template labels, or the referenced Deployment's), read at synth. */
  public podLabels(): Record<string, string> {
    if (this.props.template) return this.props.template.render().metadata?.labels ?? {};
    const ref = this.props.workloadRef;
    if (!ref) return {};
    return resolveRef(this, 'Deployment', ref.target)?.spec?.template?.metadata?.labels ?? {};
  }

  private renderSpec(): Json {
    const p = this.props;
    const template = p.template?.render();
    let selector = p.selector ?? template?.metadata?.labels;
    if (!selector && p.workloadRef) selector = resolveRef(this, 'Deployment', p.workloadRef.target)?.spec?.selector?.matchLabels;
    return compact({
      replicas: p.replicas,
      selector: selector ? { matchLabels: { ...selector } } : undefined,
      template: template ? compact({ metadata: compact({ ...template.metadata }), spec: template.spec }) : undefined,
      workloadRef: p.workloadRef?.json,
      minReadySeconds: p.minReadySeconds,
      revisionHistoryLimit: p.revisionHistoryLimit,
      progressDeadlineSeconds: wholeSeconds(p.progressDeadline),
      progressDeadlineAbort: p.progressDeadlineAbort,
      paused: p.paused,
      restartAt: p.restartAt instanceof RestartTime ? p.restartAt.text : p.restartAt?.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      rollbackWindow: p.rollbackWindow !== undefined ? { revisions: p.rollbackWindow } : undefined,
      analysis: p.analysisRunHistory ? compact({
        successfulRunHistoryLimit: p.analysisRunHistory.successful, unsuccessfulRunHistoryLimit: p.analysisRunHistory.unsuccessful,
      }) : undefined,
      strategy: this.strategy.render(this.steps),
    });
  }

  private check(): RuleViolation[] {
    const doc = this.resource.toJson();
    const out = rolloutSpecViolations(doc);
    const canary: Json | undefined = doc.spec?.strategy?.canary;
    const bg: Json | undefined = doc.spec?.strategy?.blueGreen;
    const known = new Map<string, IResourceRef>();
    for (const r of [...this.strategy.services, ...(this.strategy.trafficRouting?.references ?? [])]) known.set(r.name, r);
    const find = (kind: string, name: string | undefined): Json | undefined =>
      (name ? resolveRef(this, kind, known.get(name) ?? { name }) : undefined);

    // 25: Services select the Rollout's pods
    const labels = this.podLabels();
    const roles: Array<[string, string | undefined]> = canary
      ? [['canary', canary.canaryService], ['stable', canary.stableService], ['ping', canary.pingPong?.pingService], ['pong', canary.pingPong?.pongService]]
      : [['active', bg?.activeService], ['preview', bg?.previewService]];
    if (Object.keys(labels).length > 0) {
      for (const [role, name] of roles) {
        const svc = find('Service', name);
        if (svc) out.push(...serviceSelectsViolations(svc, labels, role));
      }
    }

    // 26, 27: traffic-router references
    const tr: Json | undefined = canary?.trafficRouting;
    out.push(...routerRefViolations(tr));
    if (canary && tr?.istio) {
      const dr = find('networking.istio.io/DestinationRule', tr.istio.destinationRule?.name);
      for (const ref of [tr.istio.virtualService, ...(tr.istio.virtualServices ?? [])].filter(Boolean)) {
        out.push(...istioRouteViolations(canary, ref, find('networking.istio.io/VirtualService', ref.name), dr));
      }
    }
    for (const name of [tr?.nginx?.stableIngress, ...(tr?.nginx?.stableIngresses ?? [])].filter(Boolean)) {
      const ing = find('Ingress', name);
      if (ing && canary?.stableService) out.push(...ingressViolations(ing, canary.stableService));
    }
    for (const name of [tr?.alb?.ingress, ...(tr?.alb?.ingresses ?? [])].filter(Boolean)) {
      const ing = find('Ingress', name);
      const backend = tr?.alb?.rootService ?? canary?.stableService;
      if (ing && backend) out.push(...ingressViolations(ing, backend));
    }

    if (tr?.appMesh) {
      // the App Mesh VirtualService's VirtualRouter splits between exactly the canary and stable nodes
      const meshVs = find('appmesh.k8s.aws/VirtualService', tr.appMesh.virtualService?.name);
      const routerName = meshVs?.spec?.provider?.virtualRouter?.virtualRouterRef?.name;
      const router = find('appmesh.k8s.aws/VirtualRouter', routerName);
      const wanted: string[] | undefined = tr.appMesh.virtualService?.routes;
      for (const route of router?.spec?.routes ?? []) {
        if (wanted && !wanted.includes(route.name)) continue;
        const action = (route.httpRoute ?? route.http2Route ?? route.grpcRoute ?? route.tcpRoute)?.action;
        const targets = action?.weightedTargets ?? [];
        if (targets.length !== 2) {
          out.push({ rule: 'appmesh-weighted-targets', message: `VirtualRouter ${show(routerName)} route ${show(route.name)} has ${targets.length} weightedTargets: the route must have exactly 2 weightedTargets (canary and stable)`,
            fix: 'give the route exactly two weighted targets, the canary and the stable VirtualNode' });
        }
      }
    }
    for (const name of tr?.ambassador?.mappings ?? []) {
      const mapping = find('Mapping', name);
      if (mapping?.spec?.weight !== undefined) {
        out.push({ rule: 'ambassador-mapping-weight', message: `Mapping ${show(name)} sets weight ${show(mapping.spec.weight)}: the stable Mapping must not define a weight`,
          fix: 'drop the weight: the controller creates the weighted canary Mapping' });
      }
    }

    // 28: analyses resolve and terminate
    const templates = new Map<string, IAnalysisTemplate>();
    for (const s of this.steps) for (const t of s.templates) templates.set(`${t.clusterScope}/${t.name}`, t);
    for (const a of this.strategy.analyses) for (const t of a.analysis.templates) templates.set(`${t.clusterScope}/${t.name}`, t);
    const resolveTemplates = (refs: Json[]): Json[] => refs.map((r) => {
      const kind = r.clusterScope ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate';
      return resolveRef(this, kind, templates.get(`${!!r.clusterScope}/${r.templateName}`) ?? { name: r.templateName });
    }).filter((t): t is Json => t !== undefined);
    const gated: Array<[string, Json | undefined, boolean]> = [
      ...(canary?.steps ?? []).map((s: Json, i: number): [string, Json | undefined, boolean] => [`steps[${i}].analysis`, s.analysis, true]),
      ['canary.analysis', canary?.analysis, false],
      ['blueGreen.prePromotionAnalysis', bg?.prePromotionAnalysis, true],
      ['blueGreen.postPromotionAnalysis', bg?.postPromotionAnalysis, true],
    ];
    for (const [where, analysis, mustEnd] of gated) {
      if (!analysis) continue;
      const resolved = resolveTemplates(analysis.templates ?? []);
      out.push(...argResolutionViolations(resolved, analysis.args, where));
      if (mustEnd) for (const t of resolved) out.push(...terminationViolations(t, where));
    }
    (canary?.steps ?? []).forEach((s: Json, i: number) => {
      for (const a of s.experiment?.analyses ?? []) {
        const resolved = resolveTemplates([a]);
        out.push(...argResolutionViolations(resolved, a.args, `steps[${i}].experiment.analyses ${show(a.name)}`));
        if (a.requiredForCompletion) for (const t of resolved) out.push(...terminationViolations(t, `steps[${i}].experiment.analyses ${show(a.name)}`));
      }
    });
    return out;
  }
}

const SHARED_CHECK = Symbol.for('slipway.rollouts.sharedServiceCheck');

/**
 * Rule 25 (second half): a Service may be managed by one Rollout only. One validation per chart walks its Rollouts
 * once, so the check stays linear in the number of Rollouts.
 */
function checkSharedServicesOnce(rollout: Rollout): void {
  let chart: Chart;
  try {
    chart = Chart.of(rollout);
  } catch {
    return;
  }
  if ((chart as any)[SHARED_CHECK]) return;
  Object.defineProperty(chart, SHARED_CHECK, { value: true });
  addRules(chart, () => {
    const users = new Map<string, string[]>();
    for (const c of chart.node.findAll()) {
      if (!(c instanceof Rollout)) continue;
      const s = c.resource.toJson().spec?.strategy ?? {};
      const names = [s.canary?.canaryService, s.canary?.stableService, s.canary?.pingPong?.pingService, s.canary?.pingPong?.pongService,
        s.blueGreen?.activeService, s.blueGreen?.previewService].filter((n): n is string => typeof n === 'string');
      for (const n of new Set(names)) users.set(n, [...(users.get(n) ?? []), c.node.path]);
    }
    return [...users.entries()].filter(([, paths]) => paths.length > 1).map(([name, paths]) => ({
      rule: 'service-selects-rollout',
      message: `Service ${show(name)} is managed by more than one Rollout (${paths.join(', ')}): a Service can only be managed by one Rollout`,
      fix: 'give each Rollout its own Services',
    }));
  });
}
