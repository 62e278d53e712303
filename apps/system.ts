// The example system: a shop behind one Ingress, three stateless services (orders calls payments in another
// namespace by service name), MySQL on persistent storage, a cache, a nightly backup, a node log collector.
import { Chart, Cron, Duration as CdkDuration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Duration, delivery, workloads } from '../lib';

const SHOP = 'shop';
const PAYMENTS = 'payments';
const DATA = 'data';
const OBSERVABILITY = 'observability';
const DASHBOARD = 'kubernetes-dashboard';

/** Cluster-wide pieces: namespaces (with their Pod Security level), storage, dashboard access. */
class PlatformChart extends Chart {
  public readonly storageClass: workloads.StorageClass;

  constructor(scope: Construct) {
    super(scope, 'platform');
    for (const ns of [SHOP, PAYMENTS, DASHBOARD]) new workloads.Namespace(this, ns, { name: ns });
    // The official mysql and redis images start as root, so the data namespace admits baseline pods.
    new workloads.Namespace(this, DATA, { name: DATA, podSecurity: workloads.PodSecurityLevel.BASELINE });
    // The log collector reads node files, so its namespace admits privileged pods; nothing else runs there.
    new workloads.Namespace(this, OBSERVABILITY, { name: OBSERVABILITY, podSecurity: workloads.PodSecurityLevel.PRIVILEGED });
    this.storageClass = new workloads.StorageClass(this, 'fast-ssd', {
      metadata: { name: 'fast-ssd' },
      provisioner: 'ebs.csi.aws.com',
      parameters: { type: 'gp3', encrypted: 'true' },
      reclaimPolicy: workloads.ReclaimPolicy.RETAIN,
      allowVolumeExpansion: true,
    });
    new workloads.DashboardAccess(this, 'dashboard', { namespace: DASHBOARD, namespaces: [SHOP, PAYMENTS, DATA] });
  }
}

/** The shop: frontend behind the Ingress, orders (Spring Cloud Kubernetes discovery) and their config. */
class ShopChart extends Chart {
  public readonly orders: workloads.Microservice;

  constructor(scope: Construct, deps: { payments: workloads.Microservice; mysql: workloads.StatefulService; cache: workloads.Microservice }) {
    super(scope, SHOP, { namespace: SHOP });
    const config = new workloads.ConfigMap(this, 'orders-config', {
      metadata: { name: 'orders-config' },
      data: { SPRING_PROFILES_ACTIVE: 'prod', 'application.yaml': 'server:\n  shutdown: graceful\n' },
    });
    const dbCredentials = kplus.Secret.fromSecretName(this, 'db-credentials', 'orders-db'); // created by the secrets operator
    const tls = kplus.Secret.fromSecretName(this, 'shop-tls', 'shop-example-com-tls'); // issued by cert-manager

    const frontend = new workloads.Microservice(this, 'frontend', {
      image: 'ghcr.io/acme/shop-frontend:3.2.0',
      readiness: workloads.Probe.fromHttpGet('/ready'),
      liveness: workloads.Probe.fromHttpGet('/healthz', { period: Duration.seconds(20) }),
      envVariables: { ORDERS_URL: kplus.EnvValue.fromValue('http://orders') },
      autoscaling: { minReplicas: 2, maxReplicas: 12, cpuUtilization: 70 },
      ingress: { host: 'shop.example.com', tlsSecret: tls },
    });
    frontend.deployment.addTopologySpread({ topology: kplus.Topology.ZONE });

    const account = new kplus.ServiceAccount(this, 'orders-sa', { metadata: { name: 'orders' }, automountToken: false });
    new workloads.ServiceDiscoveryAccess(this, 'orders-discovery', { serviceAccount: account });
    const orders = new workloads.Microservice(this, 'orders', {
      image: 'ghcr.io/acme/orders:1.4.2',
      serviceAccount: account,
      automountServiceAccountToken: true, // Spring Cloud Kubernetes reads services and config maps
      resources: { cpu: { request: kplus.Cpu.millis(250) }, memory: { request: Size.mebibytes(512), limit: Size.mebibytes(768) } },
      startup: workloads.Probe.fromHttpGet('/actuator/health/liveness', { period: Duration.seconds(5), failureThreshold: 36 }),
      readiness: workloads.Probe.fromHttpGet('/actuator/health/readiness'),
      liveness: workloads.Probe.fromHttpGet('/actuator/health/liveness'),
      envFrom: [kplus.Env.fromConfigMap(config)],
      envVariables: {
        PAYMENTS_ADDRESS: kplus.EnvValue.fromValue(`${deps.payments.dnsName}:${deps.payments.servicePort}`),
        DB_HOST: kplus.EnvValue.fromValue(deps.mysql.podDnsName(0)),
        CACHE_HOST: kplus.EnvValue.fromValue(deps.cache.dnsName),
        DB_PASSWORD: kplus.EnvValue.fromSecretValue({ secret: dbCredentials, key: 'password' }),
      },
      volumeMounts: [
        { path: '/config', volume: kplus.Volume.fromConfigMap(this, 'orders-config-volume', config) },
        { path: '/var/run/secrets/db', volume: kplus.Volume.fromSecret(this, 'orders-db-volume', dbCredentials) },
      ],
      initContainers: [{
        name: 'wait-for-db', image: 'busybox:1.36',
        securityContext: { user: 65534, group: 65534 }, // busybox defaults to root; nc needs no privilege
        command: ['sh', '-c', `until nc -z ${deps.mysql.podDnsName(0)} 3306; do sleep 2; done`],
      }],
      autoscaling: { minReplicas: 3, maxReplicas: 20, cpuUtilization: 65, memoryUtilization: 80 },
    });
    orders.deployment.scheduling.separate(orders.deployment, { topology: kplus.Topology.HOSTNAME, weight: 50 });

    // Only the frontend may call orders.
    new delivery.NamespaceAccess(this, 'access').to(orders).allowFrom(frontend);
    this.orders = orders;
  }
}

/** Payments: a gRPC service only the shop namespace may call. */
class PaymentsChart extends Chart {
  public readonly payments: workloads.Microservice;
  public readonly access: delivery.NamespaceAccess;

  constructor(scope: Construct) {
    super(scope, PAYMENTS, { namespace: PAYMENTS });
    this.payments = new workloads.Microservice(this, 'payments', {
      image: 'ghcr.io/acme/payments:2.0.1',
      port: 9090, servicePort: 9090, portName: 'grpc',
      readiness: workloads.Probe.fromGrpc(9090),
      liveness: workloads.Probe.fromGrpc(9090, { period: Duration.seconds(15) }),
      startup: workloads.Probe.fromGrpc(9090, { period: Duration.seconds(2), failureThreshold: 30 }),
      replicas: 3,
      resources: { cpu: { request: kplus.Cpu.millis(500), limit: kplus.Cpu.millis(500) }, memory: { request: Size.mebibytes(256), limit: Size.mebibytes(256) } },
    });
    this.access = new delivery.NamespaceAccess(this, 'access');
  }
}

/** Data: MySQL on persistent SSDs, a cache, and the nightly backup to a single-writer volume. */
class DataChart extends Chart {
  public readonly mysql: workloads.StatefulService;
  public readonly cache: workloads.Microservice;

  constructor(scope: Construct, storageClass: workloads.StorageClass) {
    super(scope, DATA, { namespace: DATA });
    const credentials = kplus.Secret.fromSecretName(this, 'mysql-credentials', 'mysql-credentials'); // from the secrets operator
    const conf = new workloads.ConfigMap(this, 'mysql-config', { metadata: { name: 'mysql-config' }, data: { 'shop.cnf': '[mysqld]\nmax_connections=500\n' } });
    this.mysql = new workloads.StatefulService(this, 'mysql', {
      image: 'mysql:8.4',
      port: 3306,
      podSecurity: workloads.PodSecurity.baseline('the official mysql image starts as root to own its data directory, then drops to the mysql user'),
      storage: Size.gibibytes(50),
      storageClassName: storageClass.name,
      dataPath: '/var/lib/mysql',
      resources: { cpu: { request: kplus.Cpu.units(1), limit: kplus.Cpu.units(1) }, memory: { request: Size.gibibytes(2), limit: Size.gibibytes(2) } },
      envVariables: { MYSQL_ROOT_PASSWORD: kplus.EnvValue.fromSecretValue({ secret: credentials, key: 'root-password' }) },
      volumeMounts: [
        { path: '/etc/mysql/conf.d', volume: kplus.Volume.fromConfigMap(this, 'mysql-conf', conf) },
        { path: '/var/run/mysqld', volume: kplus.Volume.fromEmptyDir(this, 'mysqld-run', 'run') },
      ],
      readiness: workloads.Probe.fromCommand(['mysqladmin', 'ping', '-h', '127.0.0.1']),
    });
    this.mysql.statefulSet.addNodeSelector('node.kubernetes.io/instance-type', 'm6i.xlarge');

    this.cache = new workloads.Microservice(this, 'cache', {
      image: 'redis:7.4', port: 6379, servicePort: 6379, portName: 'redis', replicas: 1,
      podSecurity: workloads.PodSecurity.baseline('the official redis image starts as root, then drops to the redis user'),
      readiness: workloads.Probe.fromCommand(['redis-cli', 'ping']),
      args: ['--save', '', '--appendonly', 'no'],
    });

    const backups = new workloads.PersistentVolumeClaim(this, 'backups', {
      metadata: { name: 'mysql-backups' },
      storage: Size.gibibytes(100),
      storageClassName: storageClass.name,
      accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE_POD],
    });
    new workloads.CronJob(this, 'nightly-backup', {
      metadata: { name: 'mysql-backup' },
      schedule: Cron.daily(),
      timeZone: 'Etc/UTC',
      backoffLimit: 2,
      activeDeadline: CdkDuration.minutes(60),
      restartPolicy: kplus.RestartPolicy.ON_FAILURE,
      securityContext: { fsGroup: 999 }, // the mysql group may write the backup volume
      containers: [{
        name: 'dump', image: 'mysql:8.4',
        securityContext: { user: 999, group: 999 }, // mysqldump runs as the image's mysql user
        command: ['sh', '-c', `mysqldump -h ${this.mysql.podDnsName(0)} -uroot --all-databases > /backups/dump-$(date +%F).sql`],
        envVariables: { MYSQL_PWD: kplus.EnvValue.fromSecretValue({ secret: credentials, key: 'root-password' }) },
        volumeMounts: [{ path: '/backups', volume: kplus.Volume.fromPersistentVolumeClaim(this, 'backup-volume', backups) }],
      }],
    });
  }
}

/** Observability: a log collector on every node, including control-plane nodes. */
class ObservabilityChart extends Chart {
  constructor(scope: Construct) {
    super(scope, OBSERVABILITY, { namespace: OBSERVABILITY });
    const collector = new workloads.DaemonSet(this, 'log-collector', {
      metadata: { name: 'log-collector' },
      // A visible level: the collector reads every container's log files from the node as root.
      podSecurity: workloads.PodSecurity.privileged('reads container logs from the node via hostPath /var/log'),
    });
    collector.addContainer({
      name: 'fluent-bit', image: 'fluent/fluent-bit:3.1',
      resources: { cpu: { request: kplus.Cpu.millis(50) }, memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) } },
      securityContext: { user: 0 },
      volumeMounts: [{ path: '/var/log', readOnly: true, volume: kplus.Volume.fromHostPath(this, 'varlog', 'varlog', { path: '/var/log' }) }],
    });
    // Collect on control-plane nodes too (they carry a NoSchedule taint).
    collector.scheduling.tolerate(new kplus.TaintedNode([
      kplus.NodeTaintQuery.exists('node-role.kubernetes.io/control-plane', { effect: kplus.TaintEffect.NO_SCHEDULE }),
    ]));

    // A static pod for the kubelet's manifest directory on control-plane nodes (written to static-pods/api-lb.yml).
    new workloads.StaticPod(this, 'api-lb', {
      name: 'api-lb',
      hostNetwork: true,
      podSecurity: workloads.PodSecurity.privileged('load-balances the API servers on the host network before the cluster is up'),
      containers: [{
        name: 'haproxy', image: 'haproxy:3.0',
        portNumber: 8443,
        startup: workloads.Probe.fromTcpSocket(),
        volumeMounts: [{ path: '/usr/local/etc/haproxy', readOnly: true,
          volume: kplus.Volume.fromHostPath(this, 'haproxy-config', 'config', { path: '/etc/haproxy' }) }],
      }],
    });
  }
}

/** Adds the example system's charts to `app`. */
export function addSystemApps(app: Construct): void {
  const platform = new PlatformChart(app);
  const payments = new PaymentsChart(app);
  const data = new DataChart(app, platform.storageClass);
  const shop = new ShopChart(app, { payments: payments.payments, mysql: data.mysql, cache: data.cache });
  // Only orders, from the shop namespace, may call payments.
  payments.access.to(payments.payments).allowFrom(shop.orders);
  new ObservabilityChart(app);
}
