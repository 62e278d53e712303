import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { assertProps, assertValue, checkedValue, constructId, fail, FinalDocument, integerViolations, NameForm, Names, show } from '../core';
import { PORT, checkObject } from './object-rules';
import { plusCall } from './plus-errors';

/**
 * A cdk8s-plus-28 `Ingress` whose rule errors (`ingress paths must begin with a "/"`) come back with the construct
 * path, the rule and the fix, and whose escape-hatch patches use Kubernetes paths.
 */
export class Ingress extends kplus.Ingress {
  /** A backend that is an existing Service by name (managed elsewhere); no Service object is written. */
  public static backendForServiceName(name: string, port: number): kplus.IngressBackend {
    return checkedValue(() => {
      if (typeof name !== 'string' || !Names.isDnsLabel(name)) fail(undefined, 'service-name', `Service name ${show(name)} is not a DNS label`, 'give the name of an existing Service');
      assertValue(undefined, integerViolations('Service port', port, PORT));
    }, () => {
      // cdk8s-plus-28 builds a backend only from a Service object; one in a private tree stands in and is never written.
      const detached = new Chart(new App({ outdir: 'unused' }), 'existing-service');
      const svc = new kplus.Service(detached, 'Service', { metadata: { name: String(name) }, ports: [{ port }] });
      return kplus.IngressBackend.fromService(svc);
    });
  }

  constructor(scope: Construct, id: string, props: kplus.IngressProps = {}) {
    super(scope, constructId(scope, id, 'Ingress', "'web-ingress'"), { ...props, rules: undefined, defaultBackend: undefined });
    checkObject(this, 'Ingress', NameForm.DNS_SUBDOMAIN, props);
    FinalDocument.enable(this);
    if (props.defaultBackend) this.addDefaultBackend(props.defaultBackend);
    if (props.rules) this.addRules(...props.rules);
  }

  /** Sends unmatched requests to `backend`. */
  public addDefaultBackend(backend: kplus.IngressBackend): void {
    assertProps(this, backend);
    plusCall(this, () => super.addDefaultBackend(backend));
  }

  /** Sends unmatched requests for `host` to `backend`. */
  public addHostDefaultBackend(host: string, backend: kplus.IngressBackend): void {
    assertProps(this, backend);
    plusCall(this, () => super.addHostDefaultBackend(host, backend));
  }

  /** Routes `host` + `path` to `backend`. */
  public addHostRule(host: string, path: string, backend: kplus.IngressBackend, pathType?: kplus.HttpIngressPathType): void {
    assertProps(this, backend);
    plusCall(this, () => super.addHostRule(host, path, backend, pathType));
  }

  /** Routes `path` on any host to `backend`. */
  public addRule(path: string, backend: kplus.IngressBackend, pathType?: kplus.HttpIngressPathType): void {
    assertProps(this, backend);
    plusCall(this, () => super.addRule(path, backend, pathType));
  }

  /** Adds several rules. */
  public addRules(...rules: kplus.IngressRule[]): void {
    assertProps(this, rules);
    plusCall(this, () => super.addRules(...rules));
  }
}
