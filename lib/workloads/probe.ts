import * as kplus from 'cdk8s-plus-28';
import { Duration, wholeSeconds } from '../core/duration';
import { fail, show } from '../core/errors';
import { checkValue, integerViolations, assertValue } from '../core/values';
import { PORT } from './object-rules';

/** Timing and thresholds shared by every probe mechanism (Kubernetes `Probe` fields). */
export interface ProbeOptions {
  /**
   * Consecutive failures before the probe counts as failed. Minimum 1.
   * @default 3
   */
  readonly failureThreshold?: number;
  /**
   * Consecutive successes before the probe counts as passed after a failure. Must be 1 for liveness and startup.
   * @default 1
   */
  readonly successThreshold?: number;
  /**
   * Delay after the container starts before the first probe.
   * @default - no delay (Kubernetes default 0)
   */
  readonly initialDelay?: Duration;
  /**
   * How often to probe. Minimum 1 second.
   * @default - Kubernetes default, 10 seconds
   */
  readonly period?: Duration;
  /**
   * How long one probe may take. Minimum 1 second.
   * @default - Kubernetes default, 1 second
   */
  readonly timeout?: Duration;
  /**
   * Grace period for the pod when a liveness or startup probe kills it; overrides the pod's value. Minimum 1 second.
   * @default - the pod's terminationGracePeriodSeconds
   */
  readonly terminationGracePeriod?: Duration;
}

/** Options of {@link Probe.fromHttpGet}. */
export interface HttpGetProbeOptions extends ProbeOptions {
  /**
   * Port to send the GET to.
   * @default - the container's `portNumber`
   */
  readonly port?: number;
  /**
   * `HTTP` or `HTTPS` (HTTPS skips certificate verification).
   * @default kplus.ConnectionScheme.HTTP
   */
  readonly scheme?: kplus.ConnectionScheme;
  /**
   * Request headers, in order (`httpHeaders`), e.g. `[{ name: 'Host', value: 'shop.example.com' }]`.
   * @default - none
   */
  readonly httpHeaders?: { readonly name: string; readonly value: string }[];
  /**
   * Host to connect to (`host`).
   * @default - the pod IP
   */
  readonly host?: string;
}

/** Options of {@link Probe.fromTcpSocket}. */
export interface TcpSocketProbeOptions extends ProbeOptions {
  /**
   * Port to open.
   * @default - the container's `portNumber`
   */
  readonly port?: number;
}

/** Options of {@link Probe.fromGrpc}. */
export interface GrpcProbeOptions extends ProbeOptions {
  /**
   * The `service` sent in the gRPC `HealthCheckRequest`.
   * @default - empty: the server's overall health
   */
  readonly service?: string;
}

/**
 * Health checks for startup, liveness and readiness, with all four kubelet mechanisms (exec, httpGet, tcpSocket and
 * gRPC, which cdk8s-plus-28 lacks). Each factory returns a `kplus.Probe`, so the result goes into any
 * cdk8s-plus-28 container's `startup`, `liveness` or `readiness`. Fields are checked at once.
 */
export class Probe {
  /**
   * An HTTP GET to the pod IP. The kubelet counts any status from 200 to 399 as success (redirects are not
   * followed to other hosts); anything else, or no answer within the timeout, is a failure.
   * @param path absolute request path, e.g. `/healthz`
   */
  public static fromHttpGet(path: string, options: HttpGetProbeOptions = {}): kplus.Probe {
    return asPlus(options, (c) => ({
      httpGet: { path, port: portOf(options.port, c), scheme: options.scheme, host: options.host,
        httpHeaders: options.httpHeaders?.map((h) => ({ name: h.name, value: h.value })) },
    }), () => {
      if (!path.startsWith('/')) {
        fail(undefined, 'probe-http-path', `httpGet probe path ${show(path)} is not absolute`, "start the path with '/', e.g. '/healthz'");
      }
      checkPort(options.port);
      for (const h of options.httpHeaders ?? []) {
        if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(h.name)) {
          fail(undefined, 'probe-http-header', `httpGet probe header name ${show(h.name)} is not an HTTP token`, 'use a header name such as X-Probe or Host');
        }
      }
    });
  }

  /** Runs `command` in the container (no shell); exit code 0 is success. */
  public static fromCommand(command: string[], options: ProbeOptions = {}): kplus.Probe {
    return asPlus(options, () => ({ exec: { command: [...command] } }), () => {
      if (command.length === 0) {
        fail(undefined, 'probe-exec-command', 'exec probe command is empty', "give the command and its arguments, e.g. ['pg_isready']");
      }
    });
  }

  /** Success when a TCP connection to the port opens. */
  public static fromTcpSocket(options: TcpSocketProbeOptions = {}): kplus.Probe {
    return asPlus(options, (c) => ({ tcpSocket: { port: portOf(options.port, c) } }), () => checkPort(options.port));
  }

  /**
   * A gRPC health check (`grpc.health.v1.Health/Check`) on `port`; `SERVING` is success. The server must implement
   * the gRPC health protocol; the port must be a number (named ports are not allowed for gRPC probes).
   */
  public static fromGrpc(port: number, options: GrpcProbeOptions = {}): kplus.Probe {
    return asPlus(options, () => ({ grpc: { port, service: options.service } }), () => checkPort(port));
  }

  private constructor() {}
}

type Handler = Record<string, unknown>;

/**
 * The rendered probe; kplus containers call `_toKube(container)` on whatever sits in `liveness`/`readiness`/`startup`.
 * A refusal of `checks` or of the options is kept on the probe and thrown by the container it is given to, with the
 * workload's path.
 */
function asPlus(options: ProbeOptions, handler: (c: kplus.Container) => Handler, checks: () => void): kplus.Probe {
  const probe = new RenderedProbe(options, handler);
  checkValue(probe, () => {
    checks();
    checkOptions(options);
  });
  return probe as unknown as kplus.Probe;
}

/** A probe as kplus containers render it; a class, so a probe keeps its options and handler but not its checks. */
class RenderedProbe {
  constructor(private readonly options: ProbeOptions, private readonly handler: (c: kplus.Container) => Handler) {}

  /** @internal */
  public _toKube(c: kplus.Container): Handler {
    const o = this.options;
    // Assigned rather than spread: `{ ...handler(c), … }` costs ~50x more per render in V8.
    return Object.assign(this.handler(c), {
      failureThreshold: o.failureThreshold,
      successThreshold: o.successThreshold,
      initialDelaySeconds: wholeSeconds(o.initialDelay),
      periodSeconds: wholeSeconds(o.period),
      timeoutSeconds: wholeSeconds(o.timeout),
      terminationGracePeriodSeconds: wholeSeconds(o.terminationGracePeriod),
    });
  }
}

/** Rendered as an IntOrString: the L1 serializer drops plain numbers in int-or-string fields. */
function portOf(port: number | undefined, c: kplus.Container): kplus.k8s.IntOrString | undefined {
  const p = port ?? c.portNumber;
  return p === undefined ? undefined : kplus.k8s.IntOrString.fromNumber(p);
}

function checkPort(port: number | undefined): void {
  if (port !== undefined) assertValue(undefined, integerViolations('probe port', port, PORT));
}

function checkOptions(o: ProbeOptions): void {
  const min = (what: string, v: number | undefined, least: number): void => {
    if (v !== undefined) assertValue(undefined, integerViolations(`probe ${what}`, v, { min: least, rangeRule: 'probe-field-range', fix: `set ${what} to a whole number >= ${least}` }));
  };
  min('failureThreshold', o.failureThreshold, 1);
  min('successThreshold', o.successThreshold, 1);
  min('periodSeconds', wholeSeconds(o.period), 1);
  min('timeoutSeconds', wholeSeconds(o.timeout), 1);
  min('terminationGracePeriodSeconds', wholeSeconds(o.terminationGracePeriod), 1);
}
