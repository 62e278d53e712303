import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Duration } from '../core/duration';
import { RuleViolation, addBoundRules, fail, show, Violations } from '../core/errors';
import { FinalDocument, putSorted } from '../core/final-document';
import { Names } from '../core/names';
import { assertValue, assertValues, checkedValue, constructId, integerViolations, labelViolations, rethrowRefusal } from '../core/values';
import { PORT, checkObject, laterMetadataViolations } from './object-rules';
import { isServiceName } from './pod-rules';

/** The cluster's NodePort range (`kube-apiserver --service-node-port-range`). */
export class NodePortRange {
  /** The Kubernetes default, 30000-32767. */
  public static readonly DEFAULT = new NodePortRange(30000, 32767);

  /** A custom range, as the cluster's API server is configured. */
  public static of(min: number, max: number): NodePortRange {
    return checkedValue(() => {
      if (!(Number.isInteger(min) && Number.isInteger(max) && min >= 1 && max <= 65535 && min <= max)) {
        fail(undefined, 'node-port-range', `node port range ${show(min)}-${show(max)} is not within 1-65535`, 'give the range the API server uses, e.g. NodePortRange.of(20000, 22767)');
      }
    }, () => new NodePortRange(min, max));
  }

  private constructor(
    /** Lowest port. */
    public readonly min: number,
    /** Highest port. */
    public readonly max: number,
  ) {}
}

/** Kubernetes' limit on `sessionAffinityConfig.clientIP.timeoutSeconds` (one day). */
const MAX_AFFINITY_SECONDS = 86_400;

/** How a Service keeps a client on one pod (`spec.sessionAffinity`). */
export class SessionAffinity {
  /** Requests are spread over the pods (`None`, Kubernetes' default; written because it is asked for). */
  public static readonly NONE = new SessionAffinity('None');

  /**
   * Requests from one client IP go to the same pod until `timeout` has passed since its last request (`ClientIP`).
   * @param options.timeout how long a client sticks, in whole seconds up to one day
   * @default - timeout: Kubernetes' 3 hours (10800 seconds, not written)
   */
  public static clientIp(options: { readonly timeout?: Duration } = {}): SessionAffinity {
    return checkedValue(() => {
      if (options.timeout === undefined) return;
      rethrowRefusal(options.timeout);
      const seconds = options.timeout.toMilliseconds() / 1000;
      if (!(Number.isInteger(seconds) && seconds >= 1 && seconds <= MAX_AFFINITY_SECONDS)) {
        fail(undefined, 'session-affinity-timeout', `ClientIP session affinity timeout ${show(seconds)}s must be a whole number of seconds greater than 0 and at most ${MAX_AFFINITY_SECONDS} (one day)`,
          'pass SessionAffinity.clientIp({ timeout: Duration.hours(3) }) with a whole number of seconds from 1 to 86400, or leave timeout out for the 3-hour default');
      }
    }, () => new SessionAffinity('ClientIP', options.timeout === undefined ? undefined : options.timeout.toMilliseconds() / 1000));
  }

  private constructor(
    /** `ClientIP` or `None`. */
    public readonly mode: 'ClientIP' | 'None',
    /** The ClientIP timeout in seconds, when set. */
    public readonly timeoutSeconds?: number,
  ) {}
}

/** A Service port, with a named `targetPort` (a container port name) as an alternative to a number. */
export interface ServicePort extends kplus.ServicePort {
  /**
   * The name of the container port to send to (`targetPort: http`); replaces the number.
   * @default - targetPort, or port
   */
  readonly targetPortName?: string;
}

/** Props of {@link Service}. */
export interface ServiceProps extends Omit<kplus.ServiceProps, 'ports'> {
  /**
   * Ports.
   * @default - none; add with bind()
   */
  readonly ports?: ServicePort[];
  /**
   * The NodePort range the cluster allows, for checking `nodePort`.
   * @default NodePortRange.DEFAULT (30000-32767)
   */
  readonly nodePortRange?: NodePortRange;
  /**
   * Whether a client sticks to one pod (`sessionAffinity`, with `sessionAffinityConfig` for a ClientIP timeout).
   * @default - not written (Kubernetes spreads requests: None)
   */
  readonly sessionAffinity?: SessionAffinity;
}

/**
 * A cdk8s-plus-28 `Service` (ClusterIP, NodePort, LoadBalancer, ExternalName; headless with
 * {@link Service.headless}) whose ports and selector are checked at synth against the API's rules.
 */
export class Service extends kplus.Service {
  /** A headless Service (`clusterIP: None`): DNS returns the pod IPs, as StatefulSets need for stable names. */
  public static headless(scope: Construct, id: string, props: ServiceProps = {}): Service {
    return new Service(scope, id, { ...props, clusterIP: 'None', type: kplus.ServiceType.CLUSTER_IP });
  }

  /** The NodePort range `nodePort` values are checked against. */
  public readonly nodePortRange: NodePortRange;

  constructor(scope: Construct, id: string, props: ServiceProps = {}) {
    super(scope, constructId(scope, id, 'Service', "'web-service'"), props);
    // The name is a DNS-1035 label, checked at synth (rule service-name) with the other Service rules.
    checkObject(this, 'Service', undefined, props);
    for (const p of props.ports ?? []) {
      // cdk8s-plus-28 leaves out a targetPort or nodePort it finds falsy (0, NaN).
      assertValue(this, [...integerViolations('Service port', p.port, PORT), ...(p.targetPort === undefined ? [] : integerViolations('Service targetPort', p.targetPort, PORT)),
        ...(p.nodePort === undefined ? [] : integerViolations('Service nodePort', p.nodePort, { ...PORT, rangeRule: 'node-port-range' }))]);
    }
    this.nodePortRange = props.nodePortRange ?? NodePortRange.DEFAULT;
    const named = (props.ports ?? []).filter((p) => p.targetPortName !== undefined);
    for (const p of named) {
      if (!isServiceName(p.targetPortName!)) {
        fail(this, 'port-name', `targetPortName ${show(p.targetPortName)} is not an IANA service name`, 'use the name of a container port (at most 15 lowercase letters, digits and -)');
      }
    }
    const affinity = props.sessionAffinity;
    if (affinity) {
      assertValues(this, [affinity]);
      FinalDocument.addTransform(this, (doc) => {
        putSorted(doc.spec, 'sessionAffinity', affinity.mode);
        if (affinity.timeoutSeconds !== undefined) putSorted(doc.spec, 'sessionAffinityConfig', { clientIP: { timeoutSeconds: affinity.timeoutSeconds } });
      });
    }
    if (named.length > 0) {
      FinalDocument.addTransform(this, (doc) => {
        for (const p of named) {
          const out = (doc.spec.ports ?? []).find((x: any) => x.port === p.port && (x.protocol ?? 'TCP') === (p.protocol ?? 'TCP'));
          if (out) out.targetPort = p.targetPortName;
        }
      });
    } else {
      FinalDocument.enable(this);
    }
    addBoundRules(this, serviceRules, this);
  }

  /** The `<name>.<namespace>.svc.cluster.local` DNS name other namespaces use to call this Service. */
  public get dnsName(): string {
    return `${this.name}.${this.metadata.namespace ?? 'default'}.svc.cluster.local`;
  }
}

/** The rules of a Service at synth (one shared function, called on the Service). */
function serviceRules(this: Service): RuleViolation[] {
  return [...laterMetadataViolations(this, 'Service'), ...serviceViolations(this)];
}

function serviceViolations(svc: Service) {
  const v = new Violations();
  // Service names become DNS labels and environment variable prefixes, so they must start with a letter (DNS-1035).
  if (!/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(svc.name)) {
    v.add('service-name', `Service name ${show(svc.name)} is not a DNS-1035 label`,
      'use at most 63 lowercase letters, digits and -, starting with a letter and ending with a letter or digit');
  }
  const type = svc.type;
  if (type === kplus.ServiceType.EXTERNAL_NAME) {
    if (!svc.externalName || !Names.isDnsSubdomain(svc.externalName.replace(/\.$/, ''))) {
      v.add('external-name', `ExternalName Service has externalName ${show(svc.externalName)}`, 'set externalName to a DNS name such as db.example.com');
    }
    return v.all;
  }
  const ports = svc.ports;
  if (ports.length === 0) v.add('service-ports-required', 'the Service has no ports', 'add a port with bind() or ports: [...]');
  const seen = new Set<string>();
  for (const p of ports) {
    for (const [f, n] of [['port', p.port], ['targetPort', p.targetPort]] as const) {
      if (n !== undefined && !(Number.isInteger(n) && n >= 1 && n <= 65535)) {
        v.add('port-range', `Service ${f} ${show(n)} is outside 1-65535`, 'use a port number from 1 to 65535');
      }
    }
    if (p.nodePort !== undefined) {
      if (type !== kplus.ServiceType.NODE_PORT && type !== kplus.ServiceType.LOAD_BALANCER) {
        v.add('node-port-type', `nodePort ${show(p.nodePort)} on a ${type} Service`, 'use type NodePort or LoadBalancer, or remove nodePort');
      } else if (!(Number.isInteger(p.nodePort) && p.nodePort >= svc.nodePortRange.min && p.nodePort <= svc.nodePortRange.max)) {
        const { min, max } = svc.nodePortRange;
        v.add('node-port-range', `nodePort ${show(p.nodePort)} is outside the range ${min}-${max}`,
          `pick a nodePort from ${min} to ${max}, leave it out, or pass nodePortRange: NodePortRange.of(min, max) for a cluster with another --service-node-port-range`);
      }
    }
    const key = `${p.port}/${p.protocol ?? 'TCP'}`;
    if (seen.has(key)) v.add('service-port-unique', `Service port ${key} is declared twice`, 'give each port/protocol pair once');
    seen.add(key);
    if (ports.length > 1 && !p.name) v.add('service-port-name', `Service port ${p.port} has no name but the Service has several ports`, 'name every port');
  }
  if (svc.clusterIP === 'None' && type !== kplus.ServiceType.CLUSTER_IP) {
    v.add('headless-type', `a headless Service (clusterIP None) has type ${show(type)}`, 'use type ClusterIP for headless Services');
  }
  // cdk8s-plus-28 keeps the selector private; read it to check label syntax.
  const selector = (svc as unknown as { _selector?: Record<string, string> })._selector ?? {};
  for (const x of labelViolations(selector, 'Service selector')) v.add(x.rule, x.message, x.fix);
  return v.all;
}
