/** Triggers interceptors: the core ClusterInterceptors, custom ones by reference, and legacy webhooks. */
import { NameForm, assertValue, checkedValue, fail, nameViolations, rethrowRefusal, show } from '../core';
import { checkCel } from './cel';

/** Options of the GitHub, GitLab and Bitbucket interceptors. */
export interface GitHubInterceptorOptions {
  /** Secret holding the webhook secret (HMAC key); the interceptor rejects unsigned requests. */
  readonly secretName: string;
  /**
   * Key in that secret.
   * @default 'secretToken'
   */
  readonly secretKey?: string;
  /**
   * Accepted event types (`X-GitHub-Event`, `X-Gitlab-Event`, `X-Event-Key`).
   * @default ['push'] (GitHub), ['Push Hook'] (GitLab), ['repo:refs_changed'] (Bitbucket)
   */
  readonly eventTypes?: string[];
}

/** Options of the CEL interceptor. */
export interface CelInterceptorOptions {
  /**
   * Filter expression; the event is dropped unless it is true.
   * @default none
   */
  readonly filter?: string;
  /**
   * Extra fields computed from the event, readable as `$(extensions.<key>)`.
   * @default none
   */
  readonly overlays?: Record<string, string>;
}

/** The kind an interceptor reference points at. */
export enum InterceptorKind {
  /** A cluster-scoped `ClusterInterceptor` (the core interceptors are these). */
  CLUSTER = 'ClusterInterceptor',
  /** A namespaced `Interceptor`. */
  NAMESPACED = 'NamespacedInterceptor',
}

/** Options of an interceptor referenced by name. */
export interface CustomInterceptorOptions {
  /**
   * Which kind of object the name refers to.
   * @default InterceptorKind.CLUSTER
   */
  readonly kind?: InterceptorKind;
  /**
   * Params handed to the interceptor (any JSON values).
   * @default none
   */
  readonly params?: Record<string, unknown>;
  /**
   * Declare that this interceptor authenticates the sender (verifies a signature or token), so a trigger needs
   * no other authenticating interceptor.
   * @default false
   */
  readonly authenticates?: boolean;
}

/** Where a legacy webhook interceptor sends the event. */
export interface WebhookInterceptorOptions {
  /** The Service that receives the event. */
  readonly serviceName: string;
  /**
   * Its namespace.
   * @default the listener's namespace
   */
  readonly namespace?: string;
  /**
   * Header name → values added to the request.
   * @default none
   */
  readonly headers?: Record<string, string[]>;
  /**
   * Declare that this webhook authenticates the sender.
   * @default false
   */
  readonly authenticates?: boolean;
}

/** An interceptor of a trigger: a reference to a ClusterInterceptor or Interceptor, or a webhook Service. */
export class Interceptor {
  /** Validates the GitHub HMAC signature and filters event types. */
  public static github(options: GitHubInterceptorOptions): Interceptor {
    return Interceptor.signed('github', options, ['push']);
  }

  /** Validates the GitLab webhook token (`X-Gitlab-Token`) and filters event types (e.g. `Push Hook`). */
  public static gitlab(options: GitHubInterceptorOptions): Interceptor {
    return Interceptor.signed('gitlab', options, ['Push Hook']);
  }

  /** Validates the Bitbucket signature and filters event types (e.g. `repo:refs_changed`). */
  public static bitbucket(options: GitHubInterceptorOptions): Interceptor {
    return Interceptor.signed('bitbucket', options, ['repo:refs_changed']);
  }

  private static signed(name: string, options: GitHubInterceptorOptions, defaultEvents: string[]): Interceptor {
    return checkedValue(() => {
      if (!options.secretName) {
        fail(undefined, 'interceptor-secret-required', `the ${name} interceptor has no secretName`,
          'create a Secret with the webhook secret and name it here; unsigned webhooks would run pipelines for anyone');
      }
      assertValue(undefined, nameViolations(`the ${name} interceptor secretName`, options.secretName, NameForm.DNS_SUBDOMAIN));
    }, () => new Interceptor({ ref: { name, kind: InterceptorKind.CLUSTER }, params: [
      { name: 'secretRef', value: { secretName: options.secretName, secretKey: options.secretKey ?? 'secretToken' } },
      { name: 'eventTypes', value: options.eventTypes ?? defaultEvents },
    ] }, true));
  }

  /** Filters events and adds overlays with CEL; every expression is parsed now, as Triggers compiles it. */
  public static cel(options: CelInterceptorOptions): Interceptor {
    return checkedValue(() => {
      if (options.filter === undefined && !Object.keys(options.overlays ?? {}).length) {
        fail(undefined, 'interceptor-params', 'the CEL interceptor has neither filter nor overlays', 'set a filter or overlays');
      }
      if (options.filter !== undefined) checkCel(undefined, 'CEL interceptor filter', options.filter);
      for (const [key, expression] of Object.entries(options.overlays ?? {})) checkCel(undefined, `CEL interceptor overlay ${show(key)}`, expression);
    }, () => new Interceptor({ ref: { name: 'cel', kind: InterceptorKind.CLUSTER }, params: [
      ...(options.filter !== undefined ? [{ name: 'filter', value: options.filter }] : []),
      ...(options.overlays ? [{ name: 'overlays', value: Object.entries(options.overlays).map(([key, expression]) => ({ key, expression })) }] : []),
    ] }, false, Object.keys(options.overlays ?? {})));
  }

  /** A ClusterInterceptor or namespaced Interceptor by name (custom interceptors, or a `CustomInterceptor`'s `ref`). */
  public static custom(name: string, options: CustomInterceptorOptions = {}): Interceptor {
    return checkedValue(() => {
      if (!name || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) {
        fail(undefined, 'interceptor-ref', `interceptor name ${show(name)} is not a valid resource name`, 'use the metadata.name of the ClusterInterceptor or Interceptor');
      }
      if (options.kind !== undefined && !Object.values(InterceptorKind).includes(options.kind)) {
        fail(undefined, 'interceptor-ref', `interceptor kind ${show(options.kind)} is not ClusterInterceptor or NamespacedInterceptor`, 'use InterceptorKind.CLUSTER or InterceptorKind.NAMESPACED');
      }
    }, () => {
      const params = Object.entries(options.params ?? {}).map(([n, value]) => ({ name: n, value }));
      return new Interceptor({ ref: { name, kind: options.kind ?? InterceptorKind.CLUSTER }, params: params.length ? params : undefined },
        options.authenticates ?? false);
    });
  }

  /** A legacy webhook interceptor: Triggers posts the event to a Service and forwards its answer. */
  public static webhook(options: WebhookInterceptorOptions): Interceptor {
    return checkedValue(() => {
      if (!options.serviceName) fail(undefined, 'interceptor-ref', 'the webhook interceptor has no serviceName', 'name the Service that receives the event');
    }, () => {
      const header = Object.entries(options.headers ?? {}).map(([n, value]) => ({ name: n, value: Array.isArray(value) ? [...value] : value }));
      return new Interceptor({ webhook: {
        header: header.length ? header : undefined,
        objectRef: { apiVersion: 'v1', kind: 'Service', name: options.serviceName, namespace: options.namespace },
      } }, options.authenticates ?? false);
    });
  }

  private constructor(
    private readonly json: any,
    /** True if the interceptor authenticates the sender. */
    public readonly authenticates: boolean,
    /** Overlay keys it adds under `extensions`. */
    public readonly overlayKeys: string[] = [],
    private readonly label?: string,
  ) {}

  /** The referenced interceptor's name (`undefined` for webhooks). */
  public get name(): string | undefined {
    return this.json.ref?.name;
  }

  /** The same interceptor with an `interceptors[].name`, shown in the listener's logs. */
  public withName(name: string): Interceptor {
    return checkedValue(() => {
      rethrowRefusal(this);
      if (typeof name !== 'string' || !name.trim()) fail(undefined, 'interceptor-ref', 'the interceptor name is blank', 'give withName() a name, or leave it out');
    }, () => new Interceptor(this.json, this.authenticates, this.overlayKeys, name));
  }

  /** The JSON form. */
  public toJson(): any {
    return JSON.parse(JSON.stringify({ name: this.label, ...this.json }));
  }
}
