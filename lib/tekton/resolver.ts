/** Remote resolution of Tasks, Pipelines and StepActions (Tekton resolvers, beta and on by default). */
import { checkedValue, fail, show } from '../core';

/** Options of the git resolver. Give either `url`, or `org` + `repo` (the latter needs an SCM API token). */
export interface GitResolverOptions {
  /**
   * The repository URL (anonymous clone).
   * @default none: `org` and `repo` are used
   */
  readonly url?: string;
  /**
   * The organisation (SCM API mode).
   * @default none
   */
  readonly org?: string;
  /**
   * The repository (SCM API mode).
   * @default none
   */
  readonly repo?: string;
  /** Path of the YAML file inside the repository. */
  readonly pathInRepo: string;
  /** The commit, tag or branch; pin a commit SHA for supply-chain safety. */
  readonly revision: string;
  /**
   * Secret name holding the SCM API token (SCM API mode).
   * @default the resolver's configured token
   */
  readonly token?: string;
  /**
   * Key of the token in that secret.
   * @default the resolver's configured key
   */
  readonly tokenKey?: string;
  /**
   * The SCM server URL (SCM API mode).
   * @default the resolver's configured server
   */
  readonly serverURL?: string;
  /**
   * The SCM type, e.g. `github` or `gitlab` (SCM API mode).
   * @default the resolver's configured type
   */
  readonly scmType?: string;
}

/** Options of the bundles resolver (Tekton OCI bundles). */
export interface BundleResolverOptions {
  /** The image reference, ideally pinned by digest. */
  readonly bundle: string;
  /** The object's name inside the bundle. */
  readonly name: string;
  /**
   * A docker-registry secret for pulling the bundle.
   * @default anonymous pull
   */
  readonly secret?: string;
}

/** Options of the hub resolver (Artifact Hub or Tekton Hub). */
export interface HubResolverOptions {
  /** The catalog entry name, e.g. `git-clone`. */
  readonly name: string;
  /** The version, e.g. `0.9`. */
  readonly version: string;
  /**
   * The catalog.
   * @default the resolver's default catalog (`tekton-catalog-tasks` on Artifact Hub)
   */
  readonly catalog?: string;
  /**
   * `artifact` (Artifact Hub) or `tekton` (Tekton Hub).
   * @default 'artifact'
   */
  readonly type?: string;
}

/** Options of the cluster resolver (objects in another namespace of the same cluster). */
export interface ClusterResolverOptions {
  /** The object name. */
  readonly name: string;
  /** The namespace it lives in. */
  readonly namespace: string;
}

/** Options of the http resolver. */
export interface HttpResolverOptions {
  /** The https URL of the YAML file. */
  readonly url: string;
  /**
   * A sha256 digest the content must match (`sha256:<hex>`).
   * @default not checked
   */
  readonly digest?: string;
  /**
   * Basic-auth user name.
   * @default anonymous
   */
  readonly username?: string;
  /**
   * Secret holding the basic-auth password.
   * @default anonymous
   */
  readonly passwordSecret?: string;
  /**
   * Key of the password in that secret.
   * @default none
   */
  readonly passwordSecretKey?: string;
}

/** A Tekton resolver with its params; `TaskRef.resolve()`, `PipelineRef.resolve()`, `StepActionRef.resolve()` use it. */
export class Resolver {
  /** Fetch the YAML from a git repository. */
  public static git(options: GitResolverOptions): Resolver {
    return checkedValue(() => {
      const apiMode = options.org !== undefined || options.repo !== undefined;
      if (options.url !== undefined && apiMode) {
        fail(undefined, 'resolver-params', `git resolver got both url ${show(options.url)} and org/repo`,
          'give either url (anonymous clone) or org + repo (SCM API), not both');
      }
      if (!options.url && !(options.org && options.repo)) {
        fail(undefined, 'resolver-params', 'git resolver needs url, or org and repo',
          "set url: 'https://github.com/org/repo.git'");
      }
      if (!options.pathInRepo || !options.revision) {
        fail(undefined, 'resolver-params', `git resolver needs pathInRepo and revision (got ${show(options.pathInRepo)}, ${show(options.revision)})`,
          'set the path of the YAML file and a commit SHA or tag');
      }
    }, () => new Resolver('git', [
      ['url', options.url], ['org', options.org], ['repo', options.repo], ['revision', options.revision],
      ['pathInRepo', options.pathInRepo], ['token', options.token], ['tokenKey', options.tokenKey],
      ['serverURL', options.serverURL], ['scmType', options.scmType],
    ], false));
  }

  /** Pull the object from a Tekton OCI bundle. */
  public static bundle(options: BundleResolverOptions): Resolver {
    return checkedValue(() => {
      if (!options.bundle || !options.name) {
        fail(undefined, 'resolver-params', `bundles resolver needs bundle and name (got ${show(options.bundle)}, ${show(options.name)})`,
          'set bundle to an image reference and name to the object in it');
      }
    }, () => new Resolver('bundles', [['bundle', options.bundle], ['name', options.name], ['secret', options.secret]], true));
  }

  /** Fetch a versioned catalog entry from a hub. */
  public static hub(options: HubResolverOptions): Resolver {
    return checkedValue(() => {
      if (!options.name || !options.version) {
        fail(undefined, 'resolver-params', `hub resolver needs name and version (got ${show(options.name)}, ${show(options.version)})`,
          "pin a version, e.g. version: '0.9'");
      }
      if (options.type !== undefined && !['artifact', 'tekton'].includes(options.type)) {
        fail(undefined, 'resolver-params', `hub type ${show(options.type)} is neither "artifact" nor "tekton"`,
          "use type: 'artifact' (the default) or 'tekton'");
      }
    }, () => new Resolver('hub', [['catalog', options.catalog], ['type', options.type], ['name', options.name],
      ['version', options.version]], true));
  }

  /** Read the object from a namespace of the same cluster (what ClusterTask used to do). */
  public static cluster(options: ClusterResolverOptions): Resolver {
    return checkedValue(() => {
      if (!options.name || !options.namespace) {
        fail(undefined, 'resolver-params', `cluster resolver needs name and namespace (got ${show(options.name)}, ${show(options.namespace)})`,
          'set both');
      }
    }, () => new Resolver('cluster', [['name', options.name], ['namespace', options.namespace]], true));
  }

  /** Fetch the YAML over https. */
  public static http(options: HttpResolverOptions): Resolver {
    return checkedValue(() => {
      if (!/^https?:\/\//.test(options.url ?? '')) {
        fail(undefined, 'resolver-params', `http resolver url ${show(options.url)} is not an http(s) URL`,
          'use an https:// URL');
      }
    }, () => new Resolver('http', [['url', options.url], ['digest', options.digest], ['http-username', options.username],
      ['http-password-secret', options.passwordSecret], ['http-password-secret-key', options.passwordSecretKey]], false));
  }

  private constructor(
    /** The resolver name (`git`, `bundles`, `hub`, `cluster`, `http`). */
    public readonly name: string,
    private readonly params: Array<[string, string | undefined]>,
    private readonly takesKind: boolean,
  ) {}

  /** The `{resolver, params}` of a ref to an object of `kind` (`task`, `pipeline`, `stepaction`). */
  public toJson(kind: string): any {
    const params = this.params.filter(([, v]) => v !== undefined).map(([name, value]) => ({ name, value }));
    if (this.takesKind) params.push({ name: 'kind', value: kind });
    return { resolver: this.name, params };
  }
}
