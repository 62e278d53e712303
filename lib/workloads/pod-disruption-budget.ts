import { ApiObjectMetadata } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { RuleViolation, Violations, addBoundRules, fail, show } from '../core/errors';
import { FinalDocument } from '../core/final-document';
import { NameForm, assertValue, checkValue, constructId, integerViolations, labelViolations } from '../core/values';
import { checkObject, laterMetadataViolations } from './object-rules';

/** How many pods a voluntary disruption (drain, upgrade) must leave, or may take. */
export class DisruptionLimit {
  /** At least `n` pods stay available. */
  public static minAvailable(n: number): DisruptionLimit {
    return limit('minAvailable', n, false);
  }

  /** At least `percent` % of pods stay available. */
  public static minAvailablePercent(percent: number): DisruptionLimit {
    return limit('minAvailable', percent, true);
  }

  /** At most `n` pods may be down at once (the usual choice: works with any replica count and with HPAs). */
  public static maxUnavailable(n: number): DisruptionLimit {
    return limit('maxUnavailable', n, false);
  }

  /** At most `percent` % of pods may be down at once. */
  public static maxUnavailablePercent(percent: number): DisruptionLimit {
    return limit('maxUnavailable', percent, true);
  }

  private constructor(public readonly field: 'minAvailable' | 'maxUnavailable', public readonly value: number | string) {}
}

/** A limit whose refusal is kept until the budget (or pattern) it is given to throws it with its path. */
function limit(field: 'minAvailable' | 'maxUnavailable', n: number, percent: boolean): DisruptionLimit {
  const l = new (DisruptionLimit as any)(field, percent ? `${n}%` : n) as DisruptionLimit;
  checkValue(l, () => assertValue(undefined, integerViolations(`disruption budget ${field}${percent ? ' percentage' : ''}`, n,
    { min: 0, max: percent ? 100 : undefined, rangeRule: 'pdb-value-range', fix: percent ? 'use a whole percentage from 0 to 100' : 'use a whole number of pods from 0 to 2147483647' })));
  return l;
}

/**
 * Fails when `limit` can never allow an eviction for a workload that runs at least `minPods` pods: node drains and
 * cluster upgrades would then hang. Used by the patterns, which know their replica count.
 */
export function checkEvictable(scope: Construct, limit: DisruptionLimit, minPods: number): void {
  const v = limit.value;
  const blocks = limit.field === 'maxUnavailable' ? v === 0 || v === '0%'
    : v === '100%' || (typeof v === 'number' && minPods > 0 && v >= minPods);
  if (blocks) {
    fail(scope, 'pdb-allows-eviction', `disruption budget ${limit.field} ${show(v)} never allows evicting one of ${show(minPods)} pods`,
      'use DisruptionLimit.maxUnavailable(1), or run more replicas than minAvailable');
  }
}

/** Props of {@link PodDisruptionBudget}. */
export interface PodDisruptionBudgetProps {
  /** Labels of the pods it protects (the workload's selector labels). */
  readonly selector: Record<string, string>;
  /**
   * Set-based requirements the pods must also meet (`matchExpressions`), e.g.
   * `kplus.LabelExpression.in('track', ['stable', 'canary'])`.
   * @default - none
   */
  readonly expressions?: kplus.LabelExpression[];
  /**
   * The limit.
   * @default DisruptionLimit.maxUnavailable(1)
   */
  readonly limit?: DisruptionLimit;
  /**
   * Object metadata.
   * @default - a generated name
   */
  readonly metadata?: ApiObjectMetadata;
}

/** A `policy/v1` PodDisruptionBudget (cdk8s-plus-28 has none). */
export class PodDisruptionBudget extends Construct {
  /** The L1 object (`Resource`). */
  public readonly apiObject: kplus.k8s.KubePodDisruptionBudget;
  /** The limit. */
  public readonly limit: DisruptionLimit;
  private readonly selector: Record<string, string>;
  private readonly expressions: readonly kplus.LabelExpression[];

  constructor(scope: Construct, id: string, props: PodDisruptionBudgetProps) {
    super(scope, constructId(scope, id, 'PodDisruptionBudget', "'web-budget'"));
    this.limit = props.limit ?? DisruptionLimit.maxUnavailable(1);
    this.selector = { ...props.selector };
    this.expressions = [...props.expressions ?? []];
    this.apiObject = new kplus.k8s.KubePodDisruptionBudget(this, 'Resource', {
      metadata: props.metadata,
      // The limit and the selector are fixed at construction, so the spec needs no Lazy (and no resolve of one).
      spec: this.spec(),
    });
    checkObject(this, 'PodDisruptionBudget', NameForm.DNS_SUBDOMAIN, props);
    FinalDocument.enable(this);
    addBoundRules(this, this.rules, this);
  }

  private spec(): kplus.k8s.PodDisruptionBudgetSpec {
    // Assigned, not a computed key in a literal (a slow literal in V8); cdk8s sorts the keys when it renders.
    // With expressions, cdk8s-plus-28's selector renders both parts (an empty matchLabels left out).
    const selector = this.expressions.length === 0 ? { matchLabels: this.selector }
      : kplus.LabelSelector.of({ labels: this.selector, expressions: [...this.expressions] })._toKube();
    const spec: Record<string, unknown> = { selector };
    spec[this.limit.field] = typeof this.limit.value === 'number' ? kplus.k8s.IntOrString.fromNumber(this.limit.value)
      : kplus.k8s.IntOrString.fromString(this.limit.value);
    return spec as kplus.k8s.PodDisruptionBudgetSpec;
  }

  private rules(): RuleViolation[] {
    const v = new Violations();
    for (const x of laterMetadataViolations(this, 'PodDisruptionBudget')) v.add(x.rule, x.message, x.fix);
    if (Object.keys(this.selector).length === 0 && this.expressions.length === 0) {
      v.add('pdb-selector', 'the disruption budget selects no pods', "pass the workload's selector labels");
    }
    for (const x of labelViolations(this.selector, 'disruption budget selector')) v.add(x.rule, x.message, x.fix);
    for (const e of this.expressions) {
      // An empty label value is valid, so the first check reports the key alone.
      for (const x of labelViolations({ [e.key]: '' }, 'disruption budget matchExpressions')) v.add(x.rule, x.message, x.fix);
      for (const value of e.values ?? []) {
        for (const x of labelViolations({ [e.key]: value }, 'disruption budget matchExpressions')) if (x.rule === 'label-value') v.add(x.rule, x.message, x.fix);
      }
      if ((e.operator === 'In' || e.operator === 'NotIn') && (e.values ?? []).length === 0) {
        v.add('label-selector-values', `matchExpressions ${show(e.key)} ${e.operator} has no values`, `list the values, e.g. kplus.LabelExpression.${e.operator === 'In' ? 'in' : 'notIn'}('${e.key}', ['stable'])`);
      }
    }
    return v.all;
  }

  /** The object's name. */
  public get name(): string {
    return this.apiObject.name;
  }
}
