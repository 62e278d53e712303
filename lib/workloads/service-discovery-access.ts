import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { constructId } from '../core';
import { enableAll } from './cluster-scoped';

/** Props of {@link ServiceDiscoveryAccess}. */
export interface ServiceDiscoveryAccessProps {
  /** The identity of the app's pods (also pass it to the workload's `serviceAccount`). */
  readonly serviceAccount: kplus.IServiceAccount;
  /**
   * Discover across every namespace (Spring Cloud Kubernetes `discovery.all-namespaces: true`). Uses a ClusterRole
   * and ClusterRoleBinding; still read-only.
   * @default false (a Role and RoleBinding in the chart's namespace)
   */
  readonly allNamespaces?: boolean;
  /**
   * Also read Secrets (Spring Cloud Kubernetes config from Secrets). Prefer mounting them instead.
   * @default false
   */
  readonly readSecrets?: boolean;
}

/**
 * Least-privilege RBAC for in-cluster service discovery, as a Spring Cloud Kubernetes app needs it:
 * get/list/watch on services, endpoints, endpointslices, pods and configmaps, namespaced by default.
 * Remember `automountServiceAccountToken: true` on the workload so the app can call the API.
 */
export class ServiceDiscoveryAccess extends Construct {
  /** The Role (namespaced access, the default). */
  public readonly role?: kplus.Role;
  /** Its RoleBinding to the ServiceAccount. */
  public readonly roleBinding?: kplus.RoleBinding;
  /** The ClusterRole (with `allNamespaces`). */
  public readonly clusterRole?: kplus.ClusterRole;
  /** Its ClusterRoleBinding to the ServiceAccount. */
  public readonly clusterRoleBinding?: kplus.ClusterRoleBinding;

  constructor(scope: Construct, id: string, props: ServiceDiscoveryAccessProps) {
    super(scope, constructId(scope, id, 'ServiceDiscoveryAccess', "'discovery'"));
    const resources = [kplus.ApiResource.SERVICES, kplus.ApiResource.ENDPOINTS, kplus.ApiResource.ENDPOINT_SLICES,
      kplus.ApiResource.PODS, kplus.ApiResource.CONFIG_MAPS, ...(props.readSecrets ? [kplus.ApiResource.SECRETS] : [])];
    const verbs = ['get', 'list', 'watch'];
    if (props.allNamespaces) {
      this.clusterRole = new kplus.ClusterRole(this, 'Role');
      this.clusterRole.allow(verbs, ...resources);
      this.clusterRoleBinding = this.clusterRole.bind(props.serviceAccount);
    } else {
      this.role = new kplus.Role(this, 'Role');
      this.role.allow(verbs, ...resources);
      this.roleBinding = this.role.bind(props.serviceAccount);
    }
    enableAll(this);
  }
}
