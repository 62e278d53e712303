/** The Triggers `ClusterInterceptor` and `Interceptor` kinds (triggers.tekton.dev/v1alpha1): custom interceptor services. */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { assertProps, constructId, assertValue, integerViolations, Names, fail, show } from '../core';
import { Interceptor, InterceptorKind } from './interceptor';
import { MetadataProps, checkMetadata, renderMetadata } from './metadata';
import { checkResourceName } from './task';

/** Props of {@link CustomInterceptor}. Give exactly one of `serviceName` and `url`. */
export interface CustomInterceptorProps extends MetadataProps {
  /**
   * `metadata.name`: the name triggers reference.
   * @default the construct id as a DNS-1123 label
   */
  readonly name?: string;
  /**
   * Emit a cluster-scoped `ClusterInterceptor` (usable from every namespace) instead of a namespaced `Interceptor`.
   * @default false
   */
  readonly clusterScoped?: boolean;
  /**
   * The Service that runs the interceptor (`clientConfig.service`).
   * @default none: set url
   */
  readonly serviceName?: string;
  /**
   * The Service's namespace.
   * @default the object's namespace
   */
  readonly serviceNamespace?: string;
  /**
   * The request path on the Service.
   * @default '/'
   */
  readonly path?: string;
  /**
   * The Service port.
   * @default 80
   */
  readonly port?: number;
  /**
   * A URL instead of a Service (`clientConfig.url`).
   * @default none
   */
  readonly url?: string;
  /**
   * PEM CA bundle (base64) to verify the interceptor's TLS certificate.
   * @default none
   */
  readonly caBundle?: string;
  /**
   * The interceptor verifies the sender (signature or token), so triggers using it need no other authentication.
   * @default false
   */
  readonly authenticates?: boolean;
}

/** A custom interceptor service; triggers use it through `ref`. */
export class CustomInterceptor extends Construct {
  /** The object name. */
  public readonly name: string;
  /** `ClusterInterceptor` or `Interceptor`. */
  public readonly kind: string;
  private readonly authenticates: boolean;
  private readonly refKind: InterceptorKind;

  constructor(scope: Construct, id: string, props: CustomInterceptorProps) {
    super(scope, constructId(scope, id, 'interceptor', "new CustomInterceptor(chart, 'my-interceptor', { … })"));
    assertProps(this, props);
    this.name = props.name ?? Names.toDnsLabel(id, 63, this);
    checkResourceName(this, this.name);
    checkMetadata(this, props);
    if ((props.serviceName === undefined) === (props.url === undefined)) {
      fail(this, 'interceptor-client-config', `interceptor ${show(this.name)} needs exactly one of serviceName and url`,
        'set serviceName (and port/path) for an in-cluster Service, or url');
    }
    if (props.port !== undefined) {
      assertValue(this, integerViolations(`port of interceptor ${show(this.name)}`, props.port, { min: 1, max: 65535, rangeRule: 'interceptor-client-config', fix: 'set port to a port from 1 to 65535' }));
    }
    this.kind = props.clusterScoped ? 'ClusterInterceptor' : 'Interceptor';
    this.refKind = props.clusterScoped ? InterceptorKind.CLUSTER : InterceptorKind.NAMESPACED;
    this.authenticates = props.authenticates ?? false;
    new ApiObject(this, 'Resource', {
      apiVersion: 'triggers.tekton.dev/v1alpha1',
      kind: this.kind,
      metadata: { name: this.name, ...renderMetadata(props) },
      spec: {
        clientConfig: {
          service: props.serviceName !== undefined
            ? { name: props.serviceName, namespace: props.serviceNamespace, path: props.path, port: props.port } : undefined,
          url: props.url,
          caBundle: props.caBundle,
        },
      },
    });
  }

  /** A reference for triggers, with params for this interceptor. */
  public ref(params?: Record<string, unknown>): Interceptor {
    return Interceptor.custom(this.name, { kind: this.refKind, params, authenticates: this.authenticates });
  }
}
