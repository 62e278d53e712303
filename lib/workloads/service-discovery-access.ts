import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

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
  /** The Role, or ClusterRole with `allNamespaces`. */
  public readonly role: kplus.Role | kplus.ClusterRole;
  /** The binding of the role to the ServiceAccount. */
  public readonly binding: kplus.RoleBinding | kplus.ClusterRoleBinding;

  constructor(scope: Construct, id: string, props: ServiceDiscoveryAccessProps) {
    super(scope, id);
    const resources = [kplus.ApiResource.SERVICES, kplus.ApiResource.ENDPOINTS, kplus.ApiResource.ENDPOINT_SLICES,
      kplus.ApiResource.PODS, kplus.ApiResource.CONFIG_MAPS, ...(props.readSecrets ? [kplus.ApiResource.SECRETS] : [])];
    const verbs = ['get', 'list', 'watch'];
    if (props.allNamespaces) {
      const role = new kplus.ClusterRole(this, 'Role');
      role.allow(verbs, ...resources);
      this.role = role;
      this.binding = role.bind(props.serviceAccount);
    } else {
      const role = new kplus.Role(this, 'Role');
      role.allow(verbs, ...resources);
      this.role = role;
      this.binding = role.bind(props.serviceAccount);
    }
  }
}
