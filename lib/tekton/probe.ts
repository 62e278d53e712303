/** Container probes for Task sidecars (Tekton waits for sidecars to be ready before the steps start). */
import { Duration, fail, show, wholeSeconds } from '../core';

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
    if (command.length === 0) fail(undefined, 'probe-command', 'an exec probe has an empty command', 'give the command to run');
    return new Probe({ exec: { command: [...command] } }, options);
  }

  private constructor(private readonly handler: any, private readonly options: ProbeOptions) {
    // Kubernetes counts probe timing in whole seconds: refuse anything else now rather than round it.
    for (const d of [options.initialDelay, options.period, options.timeout]) wholeSeconds(d);
    for (const [k, n] of Object.entries({ failureThreshold: options.failureThreshold, successThreshold: options.successThreshold })) {
      if (n !== undefined && (!Number.isInteger(n) || n < 1)) fail(undefined, 'probe-threshold', `probe ${k} is ${show(n)}`, 'use a whole number ≥ 1');
    }
  }

  /** The Kubernetes JSON form. */
  public toJson(): any {
    const o = this.options;
    const sec = (d?: Duration) => wholeSeconds(d);
    return JSON.parse(JSON.stringify({
      ...this.handler,
      initialDelaySeconds: sec(o.initialDelay), periodSeconds: sec(o.period), timeoutSeconds: sec(o.timeout),
      failureThreshold: o.failureThreshold, successThreshold: o.successThreshold,
    }));
  }
}
