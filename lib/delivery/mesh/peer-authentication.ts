import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { FinalDocument, addRules, constructId } from '../../core';
import { Json, compact } from '../rollouts/common';
import { peerAuthenticationViolations } from './validation';
import { checkReferencesOf } from '../references';
import { istioApiVersion, IstioObjectProps } from './istio-object';
import { checkProps, metadataViolations } from '../values';

/** Mutual TLS modes. */
export enum MtlsMode {
  /** Inherit from the parent (namespace or mesh). */
  UNSET = 'UNSET',
  /** Plain text only. */
  DISABLE = 'DISABLE',
  /** Accept both mTLS and plain text. */
  PERMISSIVE = 'PERMISSIVE',
  /** mTLS only. */
  STRICT = 'STRICT',
}

/** Props of {@link PeerAuthentication}. */
export interface PeerAuthenticationProps extends IstioObjectProps {
  /**
   * The object name.
   * @default - generated from the construct path
   */
  readonly name?: string;
  /**
   * Labels of the workloads it applies to.
   * @default - the whole namespace (or mesh, in the root namespace)
   */
  readonly selector?: Record<string, string>;
  /**
   * The mTLS mode.
   * @default - inherited
   */
  readonly mtls?: MtlsMode;
  /**
   * Per-port modes (needs a selector).
   * @default - none
   */
  readonly portLevelMtls?: Record<number, MtlsMode>;
}

/** An Istio `PeerAuthentication`: whether workloads accept plain text or require mutual TLS. */
export class PeerAuthentication extends Construct {
  /** The L1 object (`Resource`). */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: PeerAuthenticationProps = {}) {
    super(scope, constructId(scope, id, 'PeerAuthentication', "new PeerAuthentication(scope, 'Main', …)"));
    checkProps(this, props, metadataViolations({ name: props.name, namespace: props.namespace, labels: props.selector }));
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: istioApiVersion(this, 'security.istio.io'),
      kind: 'PeerAuthentication',
      metadata: compact({ name: props.name, namespace: props.namespace }),
      spec: Lazy.any({
        produce: (): Json => compact({
          selector: props.selector ? { matchLabels: { ...props.selector } } : undefined,
          mtls: props.mtls ? { mode: props.mtls } : undefined,
          portLevelMtls: props.portLevelMtls
            ? Object.fromEntries(Object.entries(props.portLevelMtls).map(([p, mode]) => [p, { mode }])) : undefined,
        }),
      }),
    });
    checkReferencesOf(this);
    addRules(this, () => peerAuthenticationViolations(FinalDocument.of(this.resource).spec ?? {}));
  }

  /** The object name. */
  public get name(): string {
    return this.resource.name;
  }
}
