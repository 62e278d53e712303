/** What backs a workspace in a run (`spec.workspaces[]` of PipelineRun and TaskRun). */
import { NameForm, assertValue, checkedValue, fail, rethrowRefusal, nameViolations, show } from '../core';

/** Options of a per-run volume claim. */
export interface VolumeClaimTemplateOptions {
  /** Requested size, e.g. `1Gi`. */
  readonly storage: string;
  /**
   * Access modes.
   * @default ['ReadWriteOnce']
   */
  readonly accessModes?: string[];
  /**
   * Storage class.
   * @default the cluster default
   */
  readonly storageClassName?: string;
}

/** Options of an existing claim. */
export interface PersistentVolumeClaimOptions {
  /**
   * Mount read-only.
   * @default false
   */
  readonly readOnly?: boolean;
  /**
   * Confirm that sharing a writeable claim between runs is intended. Runs that share a writeable volume can
   * tamper with each other's files; prefer `WorkspaceBinding.volumeClaimTemplate()` (a fresh claim per run).
   * @default false
   */
  readonly allowSharedWrites?: boolean;
}

/**
 * The volume behind a run's workspace: exactly one source, by construction. A factory's refusal is thrown by the run
 * the binding is given to, with the run's construct path.
 */
export class WorkspaceBinding {
  /** A fresh PersistentVolumeClaim per run, deleted with the run: the secure default for shared workspaces. */
  public static volumeClaimTemplate(options: VolumeClaimTemplateOptions): WorkspaceBinding {
    return checkedValue(() => {
      if (!/^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/.test(options.storage ?? '')) {
        fail(undefined, 'workspace-binding-required-field', `volumeClaimTemplate storage ${show(options.storage)} is not a quantity`,
          "pass WorkspaceBinding.volumeClaimTemplate({ storage: '1Gi' })");
      }
      if (options.storageClassName !== undefined) {
        assertValue(undefined, nameViolations('volumeClaimTemplate storageClassName', options.storageClassName, NameForm.DNS_SUBDOMAIN));
      }
    }, () => new WorkspaceBinding('volumeClaimTemplate', {
      spec: {
        accessModes: options.accessModes ?? ['ReadWriteOnce'],
        storageClassName: options.storageClassName,
        resources: { requests: { storage: options.storage } },
      },
    }));
  }

  /** An existing claim; read-write sharing must be confirmed with `allowSharedWrites`. */
  public static persistentVolumeClaim(claimName: string, options: PersistentVolumeClaimOptions = {}): WorkspaceBinding {
    return checkedValue(() => {
      if (!claimName) {
        fail(undefined, 'workspace-binding-required-field', 'persistentVolumeClaim binding has no claimName',
          "pass the claim name: WorkspaceBinding.persistentVolumeClaim('cache', { readOnly: true })");
      }
      assertValue(undefined, nameViolations('persistentVolumeClaim claimName', claimName, NameForm.DNS_SUBDOMAIN));
      if (!options.readOnly && !options.allowSharedWrites) {
        fail(undefined, 'shared-pvc', `claim ${show(claimName)} would be shared read-write by every run`,
          'use WorkspaceBinding.volumeClaimTemplate() for a fresh volume per run, mount it readOnly, or set allowSharedWrites: true');
      }
    }, () => new WorkspaceBinding('persistentVolumeClaim', { claimName, readOnly: options.readOnly }));
  }

  /** A scratch directory that lives as long as one TaskRun's pod (not shared between tasks). */
  public static emptyDir(): WorkspaceBinding {
    return new WorkspaceBinding('emptyDir', {});
  }

  /** A ConfigMap's keys as files. */
  public static configMap(name: string): WorkspaceBinding {
    return checkedValue(() => {
      if (!name) fail(undefined, 'workspace-binding-required-field', 'configMap binding has no name', "pass the ConfigMap name: WorkspaceBinding.configMap('settings')");
      assertValue(undefined, nameViolations('configMap binding name', name, NameForm.DNS_SUBDOMAIN));
    }, () => new WorkspaceBinding('configMap', { name }));
  }

  /** A Secret's keys as files: the way to hand credentials (docker config, ssh keys, kubeconfig) to a task. */
  public static secret(secretName: string): WorkspaceBinding {
    return checkedValue(() => {
      if (!secretName) fail(undefined, 'workspace-binding-required-field', 'secret binding has no secretName', "pass the Secret name: WorkspaceBinding.secret('docker-config')");
      assertValue(undefined, nameViolations('secret binding secretName', secretName, NameForm.DNS_SUBDOMAIN));
    }, () => new WorkspaceBinding('secret', { secretName }));
  }

  /** Several sources projected into one directory (Kubernetes `projected.sources`). */
  public static projected(sources: any[]): WorkspaceBinding {
    return checkedValue(() => {
      if (!Array.isArray(sources) || sources.length === 0) {
        fail(undefined, 'workspace-binding-required-field', 'projected binding has no sources', 'list at least one source in WorkspaceBinding.projected([...])');
      }
    }, () => new WorkspaceBinding('projected', { sources: JSON.parse(JSON.stringify(sources ?? [])) }));
  }

  /** A CSI volume, e.g. the secrets-store driver. */
  public static csi(driver: string, volumeAttributes?: Record<string, string>): WorkspaceBinding {
    return checkedValue(() => {
      if (!driver) fail(undefined, 'workspace-binding-required-field', 'csi binding has no driver', "pass the CSI driver name: WorkspaceBinding.csi('secrets-store.csi.k8s.io')");
    }, () => new WorkspaceBinding('csi', { driver, volumeAttributes }));
  }

  private constructor(
    /** The source kind (`volumeClaimTemplate`, `persistentVolumeClaim`, …). */
    public readonly source: string,
    private readonly body: any,
    private readonly sub?: string,
  ) {}

  /** The same binding, but the workspace sees only `path` inside the volume. */
  public subPath(path: string): WorkspaceBinding {
    return checkedValue(() => rethrowRefusal(this), () => new WorkspaceBinding(this.source, this.body, path));
  }

  /** The binding for workspace `name`. */
  public toJson(name: string): any {
    return { name, subPath: this.sub, [this.source]: JSON.parse(JSON.stringify(this.body)) };
  }
}
