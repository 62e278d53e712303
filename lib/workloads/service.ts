import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { FinalDocument, Names, Violations, addRules, show } from '../core';
import { labelViolations } from './pod-rules';

/**
 * A cdk8s-plus-28 `Service` (ClusterIP, NodePort, LoadBalancer, ExternalName; headless with
 * {@link Service.headless}) whose ports and selector are checked at synth against the API's rules.
 */
export class Service extends kplus.Service {
  /** A headless Service (`clusterIP: None`): DNS returns the pod IPs, as StatefulSets need for stable names. */
  public static headless(scope: Construct, id: string, props: kplus.ServiceProps = {}): Service {
    return new Service(scope, id, { ...props, clusterIP: 'None', type: kplus.ServiceType.CLUSTER_IP });
  }

  constructor(scope: Construct, id: string, props: kplus.ServiceProps = {}) {
    super(scope, id, props);
    FinalDocument.enable(this);
    addRules(this, () => serviceViolations(this));
  }

  /** The `<name>.<namespace>.svc.cluster.local` DNS name other namespaces use to call this Service. */
  public get dnsName(): string {
    return `${this.name}.${this.metadata.namespace ?? 'default'}.svc.cluster.local`;
  }
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
      } else if (!(Number.isInteger(p.nodePort) && p.nodePort >= 30000 && p.nodePort <= 32767)) {
        v.add('node-port-range', `nodePort ${show(p.nodePort)} is outside the default range 30000-32767`, 'pick a nodePort from 30000 to 32767 or leave it out');
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
  for (const [k, val] of Object.entries(selector)) for (const x of labelViolations(k, val)) v.add(x.rule, x.message, x.fix);
  return v.all;
}
