import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { FinalDocument, addRules, constructId } from '../../core';
import { Json, compact } from '../rollouts/common';
import { authorizationPolicyViolations } from './validation';
import { checkReferencesOf } from '../references';
import { istioApiVersion, IstioObjectProps } from './istio-object';
import { checkProps, metadataViolations } from '../values';

/** What a matching policy does. */
export enum AuthorizationAction {
  /** Allow matching requests (once any ALLOW policy exists, others are denied). */
  ALLOW = 'ALLOW',
  /** Deny matching requests. */
  DENY = 'DENY',
  /** Audit matching requests. */
  AUDIT = 'AUDIT',
  /** Delegate to an external authorizer (needs a provider). */
  CUSTOM = 'CUSTOM',
}

/** Who sends the request (fields AND-ed, values OR-ed). */
export interface AuthorizationSource {
  /**
   * Peer identities, e.g. `cluster.local/ns/shop/sa/web`.
   * @default - any
   */
  readonly principals?: string[];
  /**
   * Request (JWT) principals.
   * @default - any
   */
  readonly requestPrincipals?: string[];
  /**
   * Source namespaces.
   * @default - any
   */
  readonly namespaces?: string[];
  /**
   * Source IP blocks.
   * @default - any
   */
  readonly ipBlocks?: string[];
  /**
   * Namespaces that must not match.
   * @default - none
   */
  readonly notNamespaces?: string[];
  /**
   * Principals that must not match.
   * @default - none
   */
  readonly notPrincipals?: string[];
}

/** What is requested. */
export interface AuthorizationOperation {
  /**
   * Hosts.
   * @default - any
   */
  readonly hosts?: string[];
  /**
   * Ports.
   * @default - any
   */
  readonly ports?: string[];
  /**
   * HTTP methods.
   * @default - any
   */
  readonly methods?: string[];
  /**
   * Paths.
   * @default - any
   */
  readonly paths?: string[];
  /**
   * Paths that must not match.
   * @default - none
   */
  readonly notPaths?: string[];
  /**
   * Methods that must not match.
   * @default - none
   */
  readonly notMethods?: string[];
}

/** A condition on a request attribute, e.g. `request.headers[x-tenant]`. */
export interface AuthorizationCondition {
  /** The attribute name. */
  readonly key: string;
  /**
   * Values that match.
   * @default - none (then notValues)
   */
  readonly values?: string[];
  /**
   * Values that must not match.
   * @default - none
   */
  readonly notValues?: string[];
}

/** One rule: from AND to AND when. */
export interface AuthorizationRule {
  /**
   * Sources (OR-ed).
   * @default - any source
   */
  readonly from?: AuthorizationSource[];
  /**
   * Operations (OR-ed).
   * @default - any operation
   */
  readonly to?: AuthorizationOperation[];
  /**
   * Extra conditions, e.g. `{ key: 'request.headers[x-tenant]', values: ['a'] }`.
   * @default - none
   */
  readonly when?: AuthorizationCondition[];
}

/** Props of {@link AuthorizationPolicy}. */
export interface AuthorizationPolicyProps extends IstioObjectProps {
  /**
   * The object name.
   * @default - generated from the construct path
   */
  readonly name?: string;
  /**
   * Labels of the workloads the policy applies to.
   * @default - every workload in the namespace
   */
  readonly selector?: Record<string, string>;
  /**
   * The action.
   * @default AuthorizationAction.ALLOW
   */
  readonly action?: AuthorizationAction;
  /**
   * Extension provider name (CUSTOM only).
   * @default - none
   */
  readonly provider?: string;
  /**
   * Rules; an ALLOW policy without rules allows nothing.
   * @default - none; add with addRule()
   */
  readonly rules?: AuthorizationRule[];
}

/** An Istio `AuthorizationPolicy` (security.istio.io/v1): who may call which operations of a workload. */
export class AuthorizationPolicy extends Construct {
  /** The L1 object (`Resource`). */
  public readonly resource: ApiObject;
  private readonly rules: AuthorizationRule[] = [];

  constructor(scope: Construct, id: string, private readonly props: AuthorizationPolicyProps = {}) {
    super(scope, constructId(scope, id, 'AuthorizationPolicy', "new AuthorizationPolicy(scope, 'Main', …)"));
    checkProps(this, { ...props, rules: undefined }, metadataViolations({ name: props.name, namespace: props.namespace, labels: props.selector }));
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: istioApiVersion(this, 'security.istio.io'),
      kind: 'AuthorizationPolicy',
      metadata: compact({ name: props.name, namespace: props.namespace }),
      spec: Lazy.any({ produce: () => this.renderSpec() }),
    });
    for (const r of props.rules ?? []) this.addRule(r);
    checkReferencesOf(this);
    addRules(this, () => authorizationPolicyViolations(FinalDocument.of(this.resource).spec ?? {}));
  }

  /** The object name. */
  public get name(): string {
    return this.resource.name;
  }

  /** Adds a rule (rules are OR-ed). */
  public addRule(rule: AuthorizationRule): this {
    this.rules.push(rule);
    return this;
  }

  private renderSpec(): Json {
    return compact({
      selector: this.props.selector ? { matchLabels: { ...this.props.selector } } : undefined,
      action: this.props.action,
      provider: this.props.provider ? { name: this.props.provider } : undefined,
      rules: this.rules.map((r) => compact({
        from: r.from?.map((source) => ({ source: compact({ ...source }) })),
        to: r.to?.map((operation) => ({ operation: compact({ ...operation }) })),
        when: r.when?.map((c) => compact({ ...c })),
      })),
    });
  }
}
