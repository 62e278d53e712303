/** Container probes for Task sidecars (Tekton waits for sidecars to be ready before the steps start). */
import { assertValue, checkValue, integerViolations, RuleViolation, Duration, fail, show, wholeSeconds } from '../core';

/** Timing of a probe. */
export interface ProbeOptions {
  /**
   * Wait before the first probe.
   * @default 0s
   */
  readonly initialDelay?: Duration;
  /**
   * Time between probes.
   * @default 10s
   */
  readonly period?: Duration;
  /**
   * Time before a probe counts as failed.
   * @default 1s
   */
  readonly timeout?: Duration;
  /**
   * Consecutive failures before the container counts as failed.
   * @default 3
   */
  readonly failureThreshold?: number;
  /**
   * Consecutive successes before the container counts as healthy (must be 1 for liveness and startup).
   * @default 1
   */
  readonly successThreshold?: number;
}

/** A probe port: a number from 1 to 65535, or a container port name (IANA service name). */
function portViolations(port: unknown): RuleViolation[] {
  if (typeof port !== 'string') {
    return integerViolations('probe port', port, { min: 1, max: 65535, rangeRule: 'probe-port', fix: 'pass a port from 1 to 65535 or a container port name' });
  }
  if (port.length <= 15 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(port) && /[a-z]/.test(port) && !port.includes('--')) return [];
  return [{ rule: 'probe-port', message: `probe port ${show(port)} is not a port name`,
    fix: "name a container port with at most 15 lowercase letters, digits and '-' (at least one letter), e.g. 'http', or pass a number" }];
}

/** A Kubernetes probe: an HTTP GET, a TCP connect, a gRPC health check or a command. */
export class Probe {
  /** `httpGet` on `path` and `port`. */
  public static httpGet(path: string, port: number | string, options: ProbeOptions & { readonly scheme?: 'HTTP' | 'HTTPS' } = {}): Probe {
    return new Probe({ httpGet: { path, port, scheme: options.scheme } }, options);
  }

  /** `tcpSocket` on `port`. */
  public static tcpSocket(port: number | string, options: ProbeOptions = {}): Probe {
    return new Probe({ tcpSocket: { port } }, options);
  }

  /** A gRPC health check on `port`. */
  public static grpc(port: number, options: ProbeOptions & { readonly service?: string } = {}): Probe {
    return new Probe({ grpc: { port, service: options.service } }, options);
  }

  /** Runs `command` in the container; exit code 0 is healthy. */
  public static exec(command: string[], options: ProbeOptions = {}): Probe {
    const probe = new Probe({ exec: { command: Array.isArray(command) ? [...command] : [] } }, options);
    checkValue(probe, () => {
      if (!Array.isArray(command) || command.length === 0) fail(undefined, 'probe-command', 'an exec probe has an empty command', "give the command to run: Probe.exec(['cat', '/tmp/ready'])");
    });
    return probe;
  }

  private constructor(private readonly handler: any, private readonly options: ProbeOptions) {
    // Checked now, thrown by the step or sidecar the probe is given to (with its construct path).
    checkValue(this, () => {
      const port = (handler.httpGet ?? handler.tcpSocket ?? handler.grpc)?.port;
      if (port !== undefined) assertValue(undefined, portViolations(port));
      // Kubernetes counts probe timing in whole seconds: refuse anything else now rather than round it.
      for (const d of [options.initialDelay, options.period, options.timeout]) wholeSeconds(d);
      for (const [k, n] of Object.entries({ failureThreshold: options.failureThreshold, successThreshold: options.successThreshold })) {
        if (n !== undefined) assertValue(undefined, integerViolations(`probe ${k}`, n, { min: 1, rangeRule: 'probe-threshold', fix: `set ${k} to a whole number ≥ 1` }));
      }
    });
  }

  /** The Kubernetes JSON form. */
  public toJson(): any {
    const o = this.options;
    const sec = (d?: Duration) => wholeSeconds(d);
    // Object.assign, not `{ ...handler, more }`: a leading spread with more keys is ~40x slower in Node 20's V8.
    return JSON.parse(JSON.stringify(Object.assign({}, this.handler, {
      initialDelaySeconds: sec(o.initialDelay), periodSeconds: sec(o.period), timeoutSeconds: sec(o.timeout),
      failureThreshold: o.failureThreshold, successThreshold: o.successThreshold,
    })));
  }
}
