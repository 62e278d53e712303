import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Names, assertValue, assertValues, checkedValue, fail, integerViolations, show } from '../core';

/** One source of a projected volume. */
export class ProjectionSource {
  /** Keys of a ConfigMap as files (all keys, or `items` key → path). */
  public static configMap(configMap: kplus.IConfigMap, items?: Record<string, string>): ProjectionSource {
    return new ProjectionSource({ configMap: { name: configMap.name, items: itemsOf(items) } });
  }

  /** Keys of a Secret as files (all keys, or `items` key → path). */
  public static secret(secret: kplus.ISecret, items?: Record<string, string>): ProjectionSource {
    return new ProjectionSource({ secret: { name: secret.name, items: itemsOf(items) } });
  }

  /** Pod fields as files, e.g. `{ labels: 'metadata.labels' }` (`downwardAPI`). */
  public static downwardApi(fields: Record<string, string>): ProjectionSource {
    return new ProjectionSource({ downwardApi: { items: Object.entries(fields).map(([path, fieldPath]) => ({ path, fieldRef: { fieldPath } })) } });
  }

  /**
   * A bound ServiceAccount token for `audience` (`serviceAccountToken`), e.g. for Vault or a cloud workload
   * identity.
   * @param expirationSeconds at least 600; Kubernetes default 3600
   */
  public static serviceAccountToken(path: string, audience?: string, expirationSeconds?: number): ProjectionSource {
    const seconds = expirationSeconds;
    return checkedValue(() => {
      if (seconds !== undefined) {
        assertValue(undefined, integerViolations('serviceAccountToken expirationSeconds', seconds, { min: 600, max: Number.MAX_SAFE_INTEGER,
          rangeRule: 'projected-token-expiration', fix: 'use at least 600 seconds' }));
      }
    }, () => new ProjectionSource({ serviceAccountToken: { path, audience, expirationSeconds: seconds } }));
  }

  private constructor(/** @internal */ public readonly _json: kplus.k8s.VolumeProjection) {}
}

function itemsOf(items?: Record<string, string>): kplus.k8s.KeyToPath[] | undefined {
  return items ? Object.entries(items).map(([key, path]) => ({ key, path })) : undefined;
}

/**
 * A projected volume (several ConfigMaps, Secrets, downward API fields and ServiceAccount tokens in one directory),
 * which cdk8s-plus-28 has no factory for. Mount it like any `kplus.Volume`; allowed under Pod Security "restricted".
 */
export function projectedVolume(scope: Construct, id: string, name: string, sources: ProjectionSource[], options: { readonly defaultMode?: number } = {}): kplus.Volume {
  Names.assertDnsLabel(scope, 'volume name', name);
  assertValues(scope, sources);
  if (sources.length === 0) fail(scope, 'projected-sources', `projected volume ${show(name)} has no sources`, 'add at least one ProjectionSource');
  // cdk8s-plus-28's Volume keeps its constructor private; its render is `{ name, ...config }`.
  const Ctor = kplus.Volume as unknown as new (s: Construct, i: string, n: string, config: Omit<kplus.k8s.Volume, 'name'>) => kplus.Volume;
  return new Ctor(scope, id, name, { projected: { sources: sources.map((s) => s._json), defaultMode: options.defaultMode } });
}
