import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Duration } from '../core/duration';
import { fail, show } from '../core/errors';
import { Names } from '../core/names';
import { assertProps, constructId, settledValue } from '../core/values';
import { PORT, assertInteger } from './object-rules';
import { Deployment } from './deployment';
import { HorizontalPodAutoscaler, ScaleTarget, ScalingBehavior } from './horizontal-pod-autoscaler';
import { SecurePodOptions, securePodOptionsOf } from './secure-pod';
import { DisruptionLimit, PodDisruptionBudget, checkEvictable } from './pod-disruption-budget';
import { Probe } from './probe';
import { Ingress } from './ingress';
import { Service } from './service';

/** Autoscaling of a {@link Microservice}. */
export interface MicroserviceAutoscaling {
  /**
   * Lower bound.
   * @default 2
   */
  readonly minReplicas?: number;
  /** Upper bound. */
  readonly maxReplicas: number;
  /**
   * Target average CPU utilization (percent of the request).
   * @default 80 when memoryUtilization is not given
   */
  readonly cpuUtilization?: number;
  /**
   * Target average memory utilization (percent of the request).
   * @default - none
   */
  readonly memoryUtilization?: number;
  /**
   * Scaling speed.
   * @default ScalingBehavior.scaleUpFastScaleDownSlow()
   */
  readonly behavior?: ScalingBehavior;
}

/** Public HTTP(S) entry of a {@link Microservice}. */
export interface MicroserviceIngress {
  /** Host name, e.g. `shop.example.com`. */
  readonly host: string;
  /**
   * Path prefix routed to the service.
   * @default '/'
   */
  readonly path?: string;
  /**
   * Secret of type `kubernetes.io/tls` for HTTPS on `host`.
   * @default - plain HTTP
   */
  readonly tlsSecret?: kplus.ISecret;
  /**
   * IngressClass name.
   * @default 'nginx'
   */
  readonly className?: string;
}

/** Props of {@link Microservice}. */
export interface MicroserviceProps extends SecurePodOptions {
  /** Container image, e.g. `ghcr.io/acme/orders:1.4.2`. */
  readonly image: string;
  /**
   * Name of the Deployment, Service, HPA, PDB and Ingress; callers reach it as `<name>.<namespace>.svc.cluster.local`.
   * @default - the construct id as a DNS label
   */
  readonly name?: string;
  /**
   * Port the container listens on.
   * @default 8080
   */
  readonly port?: number;
  /**
   * Port the Service exposes.
   * @default 80
   */
  readonly servicePort?: number;
  /**
   * Name of the Service port (Istio and Rollouts match on it).
   * @default 'http'
   */
  readonly portName?: string;
  /**
   * Service type.
   * @default kplus.ServiceType.CLUSTER_IP
   */
  readonly serviceType?: kplus.ServiceType;
  /**
   * Replicas when not autoscaled.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Container requests and limits.
   * @default DEFAULT_RESOURCES (100m CPU, 128Mi request / 256Mi limit memory)
   */
  readonly resources?: kplus.ContainerResources;
  /**
   * Readiness probe (gates Service traffic).
   * @default Probe.fromTcpSocket() on the port
   */
  readonly readiness?: kplus.Probe;
  /**
   * Liveness probe (restarts a stuck container).
   * @default - none
   */
  readonly liveness?: kplus.Probe;
  /**
   * Startup probe (holds liveness and readiness off while the app starts).
   * @default Probe.fromTcpSocket() on the port, every 5 s for up to 5 minutes
   */
  readonly startup?: kplus.Probe;
  /**
   * Command (entrypoint).
   * @default - the image's
   */
  readonly command?: string[];
  /**
   * Arguments.
   * @default - the image's
   */
  readonly args?: string[];
  /**
   * Environment variables (`kplus.EnvValue.fromValue/fromConfigMap/fromSecretValue`).
   * @default - none
   */
  readonly envVariables?: Record<string, kplus.EnvValue>;
  /**
   * Whole ConfigMaps or Secrets as environment (`kplus.Env.fromConfigMap/fromSecret`).
   * @default - none
   */
  readonly envFrom?: kplus.EnvFrom[];
  /**
   * Volume mounts (`kplus.Volume.fromConfigMap/fromSecret/...`).
   * @default - only the writable /tmp
   */
  readonly volumeMounts?: kplus.VolumeMount[];
  /**
   * Init containers, run in order to completion before the app starts.
   * @default - none
   */
  readonly initContainers?: kplus.ContainerProps[];
  /**
   * Autoscaling (autoscaling/v2 HPA); replaces `replicas`.
   * @default - fixed replicas
   */
  readonly autoscaling?: MicroserviceAutoscaling;
  /**
   * Disruption budget.
   * @default DisruptionLimit.maxUnavailable(1) when at least 2 replicas run, otherwise none
   */
  readonly disruptionBudget?: DisruptionLimit;
  /**
   * Public entry through an Ingress.
   * @default - none
   */
  readonly ingress?: MicroserviceIngress;
  /**
   * Rollout strategy.
   * @default kplus.DeploymentStrategy.rollingUpdate() (25 % surge / 25 % unavailable)
   */
  readonly strategy?: kplus.DeploymentStrategy;
  /**
   * Identity of the pods.
   * @default - the namespace's default ServiceAccount, token not mounted
   */
  readonly serviceAccount?: kplus.IServiceAccount;
  /**
   * Mount the ServiceAccount token (needed to call the Kubernetes API).
   * @default false
   */
  readonly automountServiceAccountToken?: boolean;
}

/**
 * The default readiness and startup probes, made once: a probe holds only its options and renders against the
 * container it is given to, so every Microservice can share them.
 */
let probes: { readonly readiness: kplus.Probe; readonly startup: kplus.Probe } | undefined;

function defaultProbes(): { readonly readiness: kplus.Probe; readonly startup: kplus.Probe } {
  return probes ??= {
    readiness: settledValue(Probe.fromTcpSocket()),
    startup: settledValue(Probe.fromTcpSocket({ period: Duration.seconds(5), failureThreshold: 60 })),
  };
}

/** The label that selects a {@link Microservice}'s or {@link StatefulService}'s pods. */
export const NAME_LABEL = 'app.kubernetes.io/name';

/**
 * A stateless service in one call: a Deployment (secure, explicit requests, probes, revision history), a Service in
 * front of it, and optionally an autoscaling/v2 HPA, a PodDisruptionBudget and an nginx Ingress. Every part is a
 * public property for overrides; the delivery layer uses them to put an Argo Rollout in front of the Deployment
 * (`workloadRef`), add stable/canary Services and retarget the HPA.
 */
export class Microservice extends Construct {
  /** Name shared by the Deployment, Service, HPA, PDB and Ingress. */
  public readonly name: string;
  /** The Deployment (a cdk8s-plus-28 Deployment with slipway's defaults); `deployment.apiObject` for a `workloadRef`. */
  public readonly deployment: Deployment;
  /** The app container. */
  public readonly container: kplus.Container;
  /** The ClusterIP (or chosen type) Service in front of the pods. */
  public readonly service: Service;
  /** The autoscaler, when `autoscaling` is given; `hpa.retarget()` points it at a Rollout. */
  public readonly hpa?: HorizontalPodAutoscaler;
  /** The disruption budget, if any. */
  public readonly pdb?: PodDisruptionBudget;
  /** The Ingress, when `ingress` is given. */
  public readonly ingress?: kplus.Ingress;
  /** Labels the Deployment's selector, the Service and the PDB match: `{ 'app.kubernetes.io/name': name }`. */
  public readonly selectorLabels: Record<string, string>;
  /** The container port (the Service's targetPort). */
  public readonly port: number;
  /** The Service port. */
  public readonly servicePort: number;
  /** The Service port's name. */
  public readonly portName: string;

  constructor(scope: Construct, id: string, props: MicroserviceProps) {
    super(scope, constructId(scope, id, 'Microservice', "'orders'"));
    assertProps(this, props);
    this.name = props.name ?? Names.toDnsLabel(id, 63, this);
    Names.assertDnsLabel(this, 'microservice name', this.name);
    this.port = props.port ?? 8080;
    this.servicePort = props.servicePort ?? 80;
    this.portName = props.portName ?? 'http';
    assertInteger(this, 'port', this.port, PORT);
    assertInteger(this, 'servicePort', this.servicePort, PORT);
    this.selectorLabels = { [NAME_LABEL]: this.name };
    if (props.autoscaling && props.replicas !== undefined) {
      fail(this, 'replicas-with-autoscaling', `replicas ${show(props.replicas)} is set together with autoscaling`,
        'drop replicas: the HPA owns the replica count (use autoscaling.minReplicas)');
    }
    const replicas = props.autoscaling ? undefined : props.replicas ?? 2;

    // Object.assign, not a spread between other keys: that form is the slow path in Node 20's V8.
    this.deployment = new Deployment(this, 'Deployment', Object.assign({
      metadata: { name: this.name, labels: this.selectorLabels },
      select: false,
      replicas,
      strategy: props.strategy,
    }, securePodOptionsOf(props), {
      serviceAccount: props.serviceAccount,
      automountServiceAccountToken: props.automountServiceAccountToken,
      initContainers: props.initContainers,
    }));
    // ApiObject.of(microservice) reaches the Deployment, the object most patches are for.
    this.node.defaultChild = this.deployment;
    this.deployment.select(kplus.LabelSelector.of({ labels: this.selectorLabels }));
    for (const [k, v] of Object.entries(this.selectorLabels)) this.deployment.podMetadata.addLabel(k, v);
    this.container = this.deployment.addContainer({
      name: 'app',
      image: props.image,
      portNumber: this.port,
      command: props.command,
      args: props.args,
      envVariables: props.envVariables,
      envFrom: props.envFrom,
      volumeMounts: props.volumeMounts,
      resources: props.resources,
      readiness: props.readiness ?? defaultProbes().readiness,
      liveness: props.liveness,
      startup: props.startup ?? defaultProbes().startup,
    });

    this.service = new Service(this, 'Service', {
      metadata: { name: this.name, labels: this.selectorLabels },
      type: props.serviceType ?? kplus.ServiceType.CLUSTER_IP,
      ports: [{ name: this.portName, port: this.servicePort, targetPort: this.port }],
    });
    for (const [k, v] of Object.entries(this.selectorLabels)) this.service.selectLabel(k, v);

    let minPods = replicas ?? 0;
    if (props.autoscaling) {
      const a = props.autoscaling;
      this.hpa = new HorizontalPodAutoscaler(this, 'Autoscaler', {
        metadata: { name: this.name, labels: this.selectorLabels },
        target: ScaleTarget.fromWorkload(this.deployment),
        minReplicas: a.minReplicas ?? 2,
        maxReplicas: a.maxReplicas,
        cpuUtilization: a.cpuUtilization,
        memoryUtilization: a.memoryUtilization,
        behavior: a.behavior ?? ScalingBehavior.scaleUpFastScaleDownSlow(),
      });
      minPods = this.hpa.minReplicas;
    }
    if (props.disruptionBudget) checkEvictable(this, props.disruptionBudget, minPods);
    if (props.disruptionBudget || minPods >= 2) {
      this.pdb = new PodDisruptionBudget(this, 'DisruptionBudget', {
        metadata: { name: this.name, labels: this.selectorLabels },
        selector: this.selectorLabels,
        limit: props.disruptionBudget,
      });
    }

    if (props.ingress) {
      const i = props.ingress;
      if (i.path !== undefined && !i.path.startsWith('/')) {
        fail(this, 'ingress-path', `ingress path ${show(i.path)} is not absolute`, "start the path with '/', e.g. '/api'");
      }
      if (!Names.isDnsSubdomain(i.host)) {
        fail(this, 'ingress-host', `ingress host ${show(i.host)} is not a DNS name`, 'use a lowercase host name such as shop.example.com (no scheme, no port)');
      }
      this.ingress = new Ingress(this, 'Ingress', {
        metadata: { name: this.name, labels: this.selectorLabels },
        className: i.className ?? 'nginx',
        tls: i.tlsSecret ? [{ hosts: [i.host], secret: i.tlsSecret }] : undefined,
      });
      this.ingress.addHostRule(i.host, i.path ?? '/', kplus.IngressBackend.fromService(this.service, { port: this.servicePort }),
        kplus.HttpIngressPathType.PREFIX);
    }
  }

  /** `<name>.<namespace>.svc.cluster.local`: how other namespaces call this service. */
  public get dnsName(): string {
    return this.service.dnsName;
  }
}
