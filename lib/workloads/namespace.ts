import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { constructId, fail, FinalDocument, NameForm, show } from '../core';
import { checkObject } from './object-rules';
import { clusterScoped } from './cluster-scoped';
import { PodSecurityLevel } from './pod-security';

const NAMESPACE_SYMBOL = Symbol.for('slipway.workloads.Namespace');

/** Props of {@link Namespace}. */
export interface NamespaceProps {
  /** The namespace name (a DNS-1123 label). */
  readonly name: string;
  /**
   * Level enforced on every pod (`pod-security.kubernetes.io/enforce`); `warn` and `audit` use the same level.
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly podSecurity?: PodSecurityLevel;
  /**
   * Write the Pod Security admission labels. Without them the cluster's admission configuration decides (often
   * privileged); slipway's pod levels still apply to slipway's pods.
   * @default true
   */
  readonly podSecurityLabels?: boolean;
  /**
   * More labels.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

/** A cdk8s-plus-28 `Namespace` that enforces a Pod Security level with the admission controller's labels. */
export class Namespace extends kplus.Namespace {
  /** True for a slipway Namespace (also across duplicate package copies). */
  public static isSlipwayNamespace(x: unknown): x is Namespace {
    return typeof x === 'object' && x !== null && NAMESPACE_SYMBOL in x;
  }

  /** The enforced level. */
  public readonly podSecurity: PodSecurityLevel;
  /** Whether the Pod Security admission labels are written (the level is enforced by this object). */
  public readonly podSecurityLabels: boolean;

  constructor(scope: Construct, id: string, props: NamespaceProps) {
    const level = props.podSecurity ?? PodSecurityLevel.RESTRICTED;
    const labels: Record<string, string> = { ...props.labels };
    if (props.podSecurityLabels ?? true) {
      for (const mode of ['enforce', 'warn', 'audit']) labels[`pod-security.kubernetes.io/${mode}`] = level;
    } else if (props.podSecurity !== undefined) {
      fail(scope, 'namespace-pod-security', `podSecurity ${show(props.podSecurity)} is set with podSecurityLabels false`, 'drop podSecurity, or write the labels');
    }
    super(scope, constructId(scope, id, 'Namespace', "'team-a'"), { metadata: { name: props.name, labels } });
    FinalDocument.enable(this);
    checkObject(this, 'Namespace', NameForm.DNS_LABEL, props);
    if (props.name.startsWith('kube-')) {
      fail(this, 'namespace-reserved', `namespace ${props.name} uses the reserved kube- prefix`, 'choose a name that does not start with kube-');
    }
    this.podSecurity = level;
    this.podSecurityLabels = props.podSecurityLabels ?? true;
    Object.defineProperty(this, NAMESPACE_SYMBOL, { value: true });
    clusterScoped(this.apiObject);
  }
}
