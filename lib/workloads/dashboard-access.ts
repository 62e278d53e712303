import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { assertProps, checkedValue, constructId, fail, Names, show } from '../core';
import { enableAll } from './cluster-scoped';

/** What a dashboard user may do. */
export class DashboardRole {
  /** The built-in aggregated `view` ClusterRole: read most objects, no Secrets (the default). */
  public static view(): DashboardRole {
    return new DashboardRole('view');
  }

  /** The built-in `edit` ClusterRole: change workloads, no RBAC. */
  public static edit(): DashboardRole {
    return new DashboardRole('edit');
  }

  /** Another ClusterRole by name; `cluster-admin` and `admin` are refused. */
  public static fromClusterRoleName(name: string): DashboardRole {
    return checkedValue(() => {
      if (name === 'cluster-admin' || name === 'admin') {
        fail(undefined, 'rbac-no-cluster-admin', `dashboard access must not use the ${show(name)} ClusterRole`,
          'use DashboardRole.view() or edit(), or a ClusterRole with only the verbs and resources the dashboard needs');
      }
    }, () => new DashboardRole(name));
  }

  private constructor(public readonly clusterRoleName: string) {}
}

/** Props of {@link DashboardAccess}. */
export interface DashboardAccessProps {
  /**
   * Namespaces the dashboard user may see (a RoleBinding in each).
   * @default - only the chart's namespace
   */
  readonly namespaces?: string[];
  /**
   * Grant the role in every namespace with a ClusterRoleBinding instead.
   * @default false
   */
  readonly clusterWide?: boolean;
  /**
   * The role granted.
   * @default DashboardRole.view()
   */
  readonly role?: DashboardRole;
  /**
   * Name of the ServiceAccount.
   * @default 'dashboard-user'
   */
  readonly name?: string;
  /**
   * Namespace of the ServiceAccount and its token Secret (e.g. the dashboard's own namespace).
   * @default - the chart's namespace
   */
  readonly namespace?: string;
}

/**
 * Access for the Kubernetes Dashboard (or any kubeconfig user): a ServiceAccount, its binding to a read-only role
 * (never cluster-admin) and a long-lived token Secret. {@link DashboardAccess.kubeconfig} prints the snippet to
 * fill with the token.
 */
export class DashboardAccess extends Construct {
  /** The identity. */
  public readonly serviceAccount: kplus.ServiceAccount;
  /** The `kubernetes.io/service-account-token` Secret holding its token. */
  public readonly tokenSecret: kplus.ServiceAccountTokenSecret;
  /** The RoleBindings (one per namespace, or one in the chart's namespace). */
  public readonly roleBindings: kplus.RoleBinding[] = [];
  /** The ClusterRoleBinding, with `clusterWide`. */
  public readonly clusterRoleBinding?: kplus.ClusterRoleBinding;

  constructor(scope: Construct, id: string, props: DashboardAccessProps = {}) {
    super(scope, constructId(scope, id, 'DashboardAccess', "'dashboard'"));
    assertProps(this, props);
    const name = props.name ?? 'dashboard-user';
    Names.assertDnsSubdomain(this, 'service account name', name);
    const role = kplus.ClusterRole.fromClusterRoleName(this, 'Role', (props.role ?? DashboardRole.view()).clusterRoleName);
    if (props.namespace !== undefined) Names.assertDnsLabel(this, 'namespace', props.namespace);
    const namespace = props.namespace;
    this.serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', { metadata: { name, namespace }, automountToken: false });
    this.tokenSecret = new kplus.ServiceAccountTokenSecret(this, 'Token', { metadata: { name: `${name}-token`, namespace },
      serviceAccount: this.serviceAccount });
    if (props.clusterWide) {
      this.clusterRoleBinding = new kplus.ClusterRoleBinding(this, 'ClusterBinding', { role });
      this.clusterRoleBinding.addSubjects(this.serviceAccount);
    } else if (props.namespaces && props.namespaces.length > 0) {
      for (const ns of props.namespaces) {
        Names.assertDnsLabel(this, 'namespace', ns);
        const binding = new kplus.RoleBinding(this, `Binding-${ns}`, { role, metadata: { namespace: ns } });
        binding.addSubjects(this.serviceAccount);
        this.roleBindings.push(binding);
      }
    } else {
      const binding = new kplus.RoleBinding(this, 'Binding', { role });
      binding.addSubjects(this.serviceAccount);
      this.roleBindings.push(binding);
    }
    enableAll(this);
  }

  /**
   * A kubeconfig for this user. The token is not in the repository: the placeholder says how to read it from the
   * Secret once the cluster has filled it in.
   */
  public kubeconfig(clusterName: string, server: string): string {
    const ns = this.serviceAccount.metadata.namespace ?? 'default';
    return [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{name: ${clusterName}, cluster: {server: ${JSON.stringify(server)}}}]`,
      `users: [{name: ${this.serviceAccount.name}, user: {token: "<kubectl -n ${ns} get secret ${this.tokenSecret.name} -o jsonpath='{.data.token}' | base64 -d>"}}]`,
      `contexts: [{name: ${this.serviceAccount.name}@${clusterName}, context: {cluster: ${clusterName}, user: ${this.serviceAccount.name}, namespace: ${ns}}}]`,
      `current-context: ${this.serviceAccount.name}@${clusterName}`,
      '',
    ].join('\n');
  }
}
