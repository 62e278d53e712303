/**
 * Property test of the delivery layer's value rules: type-correct props with edge values (fixed seed, bounded) either
 * synthesize to documents that pass the strict checks and hold the input values exactly, or are refused with a
 * construct path. 0 exceptions.
 */
import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { Duration, goDuration } from '../../lib/core';
import { Delivery } from '../../lib/delivery';
import * as m from '../../lib/delivery/mesh';
import * as r from '../../lib/delivery/rollouts';
import * as s from '../../lib/delivery/serverless';
import { Microservice } from '../../lib/workloads';
import {
  expectTally, FieldGen, SEED, edgeEnvName, edgeImage, edgeInt, edgeKey, edgeLabelValue, edgeName, judge, same as sameValue, tally, withEdges,
} from '../core/value-properties';
import { surroundings } from './fixtures';

const find = (docs: any[], kind: string, api = '') => docs.find((d) => d.kind === kind && String(d.apiVersion).startsWith(api));
const POD = { containers: [{ name: 'app', image: 'ghcr.io/acme/web:1.0.0', ports: [{ containerPort: 8080 }] }] };
const percent = edgeInt(fc.integer({ min: 0, max: 100 }));
const port = edgeInt(fc.integer({ min: 1, max: 65535 }));
/** Non-negative seconds, with fractions, NaN and Infinity among the edges. */
const seconds: FieldGen<number> = { valid: fc.integer({ min: 0, max: 3600 }), edge: edgeInt().edge };

/** JSON with sorted keys, where a number JSON cannot hold never equals anything written. */
function canonical(x: unknown): string {
  if (typeof x === 'number' && !Number.isFinite(x)) return `§${x}`;
  if (Array.isArray(x)) return `[${x.map(canonical).join(',')}]`;
  if (x && typeof x === 'object') return `{${Object.keys(x).sort().filter((k) => (x as any)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical((x as any)[k])}`).join(',')}}`;
  return JSON.stringify(x);
}

/** Throws unless the document holds exactly the input value (key order aside). */
function same(what: string, actual: unknown, expected: unknown): void {
  if (typeof expected !== 'object' || expected === null) return sameValue(what, actual, expected);
  if (canonical(actual) !== canonical(expected)) throw new Error(`${what}: wrote ${canonical(actual)}, input ${canonical(expected)}`);
}


const rolloutInput = withEdges({
  name: edgeName, labelKey: edgeKey, labelValue: edgeLabelValue, podLabel: edgeLabelValue,
  replicas: edgeInt(), revisionHistoryLimit: edgeInt(), minReadySeconds: edgeInt(), weight: percent, pause: seconds,
  antiAffinity: edgeInt(fc.integer({ min: 1, max: 100 })), maxSurge: percent, scaleDownDelayRevisionLimit: edgeInt(),
});

test('Rollout: every generated input is written exactly and passes the strict checks, or is refused with a construct path', () => {
  const t = tally();
  fc.assert(fc.property(rolloutInput, (v) => {
    judge(t, JSON.stringify(v), () => {
      const chart = Testing.chart();
      new r.Rollout(chart, 'rollout', {
        name: v.name, labels: { [v.labelKey]: v.labelValue }, replicas: v.replicas, revisionHistoryLimit: v.revisionHistoryLimit,
        minReadySeconds: v.minReadySeconds,
        template: r.PodTemplate.of({ labels: { app: v.podLabel }, spec: POD }),
        strategy: r.RolloutStrategy.canary({
          maxSurge: r.IntOrPercent.percent(v.maxSurge), antiAffinity: r.AntiAffinity.preferred(v.antiAffinity), scaleDownDelayRevisionLimit: v.scaleDownDelayRevisionLimit,
          steps: [r.CanaryStep.setWeight(v.weight), r.CanaryStep.pause(Duration.seconds(v.pause))],
        }),
      });
      return Testing.synth(chart);
    }, (docs) => {
      const ro = find(docs, 'Rollout');
      same('name', ro.metadata.name, v.name);
      same('labels', ro.metadata.labels, { [v.labelKey]: v.labelValue });
      same('pod labels', ro.spec.template.metadata.labels, { app: v.podLabel });
      same('replicas', ro.spec.replicas, v.replicas);
      same('revisionHistoryLimit', ro.spec.revisionHistoryLimit, v.revisionHistoryLimit);
      same('minReadySeconds', ro.spec.minReadySeconds, v.minReadySeconds);
      const c = ro.spec.strategy.canary;
      same('maxSurge', c.maxSurge, `${v.maxSurge}%`);
      same('scaleDownDelayRevisionLimit', c.scaleDownDelayRevisionLimit, v.scaleDownDelayRevisionLimit);
      same('setWeight', c.steps[0].setWeight, v.weight);
      same('pause', c.steps[1].pause.duration, goDuration(Duration.seconds(v.pause)));
      same('antiAffinity', c.antiAffinity, { preferredDuringSchedulingIgnoredDuringExecution: { weight: v.antiAffinity } });
    });
  }), { seed: SEED, numRuns: 80 });
  expectTally('rollout', t);
});

const deliveryInput = withEdges({
  weight: percent, attempts: edgeInt(), timeoutMs: { valid: fc.integer({ min: 1, max: 60_000 }), edge: edgeInt().edge },
  host: edgeName, scaleDownDelay: seconds, blueGreen: { valid: fc.boolean(), edge: fc.boolean() },
});

test('Delivery.canary and Delivery.blueGreen: every generated input is written exactly and passes the strict checks, or is refused with a construct path', () => {
  const t = tally();
  fc.assert(fc.property(deliveryInput, (v) => {
    judge(t, JSON.stringify(v), () => {
      const chart = Testing.chart();
      surroundings(chart, [`${v.host}.example.com`]);
      const ms = new Microservice(chart, 'web', { image: 'ghcr.io/acme/web:1' });
      if (v.blueGreen) Delivery.blueGreen(ms, { scaleDownDelay: Duration.seconds(v.scaleDownDelay) });
      else {
        Delivery.canary(ms, {
          weights: [v.weight], retries: { attempts: v.attempts }, timeout: Duration.millis(v.timeoutMs), hosts: [`${v.host}.example.com`],
        });
      }
      return Testing.synth(chart);
    }, (docs) => {
      const ro = find(docs, 'Rollout');
      if (v.blueGreen) {
        same('scaleDownDelaySeconds', ro.spec.strategy.blueGreen.scaleDownDelaySeconds, v.scaleDownDelay);
        return;
      }
      same('setWeight', ro.spec.strategy.canary.steps[0].setWeight, v.weight);
      const http = find(docs, 'VirtualService').spec.http[0];
      same('retries', http.retries, { attempts: v.attempts });
      same('timeout', http.timeout, `${v.timeoutMs / 1000}s`);
      same('hosts', find(docs, 'VirtualService').spec.hosts[1], `${v.host}.example.com`);
    });
  }), { seed: SEED, numRuns: 40 });
  expectTally('delivery', t);
});

const meshInput = withEdges({
  vsName: edgeName, host: edgeName, subset: edgeName, weight: percent, attempts: edgeInt(), routePort: port, matchPort: port,
  mirrorPercentage: percent, faultPercentage: percent, httpStatus: edgeInt(fc.integer({ min: 200, max: 599 })),
  drName: edgeName, subsetLabel: edgeLabelValue, subsetLabelKey: edgeKey, maxConnections: edgeInt(fc.integer({ min: 1, max: 1000 })),
  consecutive5xxErrors: edgeInt(), maxEjectionPercent: percent,
  gwName: edgeName, gwPort: port, portName: edgeName,
});

test('Istio VirtualService, DestinationRule and Gateway: every generated input is written exactly and passes the strict checks, or is refused with a construct path', () => {
  const t = tally();
  fc.assert(fc.property(meshInput, (v) => {
    judge(t, JSON.stringify(v), () => {
      const chart = Testing.chart();
      surroundings(chart, [v.host, 'mirror']);
      new m.DestinationRule(chart, 'dr', {
        name: v.drName, host: v.host,
        subsets: [{ name: v.subset, labels: { [v.subsetLabelKey]: v.subsetLabel } }],
        trafficPolicy: {
          connectionPool: { tcp: { maxConnections: v.maxConnections } },
          outlierDetection: { consecutive5xxErrors: v.consecutive5xxErrors, maxEjectionPercent: v.maxEjectionPercent },
        },
      });
      new m.Gateway(chart, 'gw', {
        name: v.gwName, servers: [{ port: v.gwPort, protocol: m.GatewayProtocol.HTTP, portName: v.portName, hosts: ['*'] }],
      });
      new m.VirtualService(chart, 'vs', {
        name: v.vsName, hosts: [v.host],
        http: [{
          name: 'primary', match: [{ port: v.matchPort }],
          route: [{ destination: { host: v.host, subset: v.subset, port: v.routePort }, weight: v.weight }, { destination: { host: v.host, subset: v.subset }, weight: 100 - v.weight }],
          retries: { attempts: v.attempts }, mirror: { host: 'mirror' }, mirrorPercentage: v.mirrorPercentage,
          fault: { abort: { httpStatus: v.httpStatus, percentage: v.faultPercentage } },
        }],
      });
      return Testing.synth(chart);
    }, (docs) => {
      const vs = find(docs, 'VirtualService');
      same('vs name', vs.metadata.name, v.vsName);
      same('vs host', vs.spec.hosts, [v.host]);
      const h = vs.spec.http[0];
      same('match port', h.match[0].port, v.matchPort);
      same('route', h.route, [{ destination: { host: v.host, subset: v.subset, port: { number: v.routePort } }, weight: v.weight },
        { destination: { host: v.host, subset: v.subset }, weight: 100 - v.weight }]);
      same('retries', h.retries, { attempts: v.attempts });
      same('mirrorPercentage', h.mirrorPercentage, { value: v.mirrorPercentage });
      same('fault', h.fault, { abort: { httpStatus: v.httpStatus, percentage: { value: v.faultPercentage } } });
      const dr = find(docs, 'DestinationRule');
      same('dr name', dr.metadata.name, v.drName);
      same('subsets', dr.spec.subsets, [{ name: v.subset, labels: { [v.subsetLabelKey]: v.subsetLabel } }]);
      same('trafficPolicy', dr.spec.trafficPolicy, {
        connectionPool: { tcp: { maxConnections: v.maxConnections } },
        outlierDetection: { consecutive5xxErrors: v.consecutive5xxErrors, maxEjectionPercent: v.maxEjectionPercent },
      });
      const gw = find(docs, 'Gateway');
      same('gw name', gw.metadata.name, v.gwName);
      same('gw port', gw.spec.servers[0].port, { number: v.gwPort, protocol: 'HTTP', name: v.portName });
    });
  }), { seed: SEED, numRuns: 100 });
  expectTally('mesh', t);
});

const knativeInput = withEdges({
  name: edgeName, image: edgeImage, envName: edgeEnvName, port: port, containerConcurrency: edgeInt(fc.integer({ min: 0, max: 1000 })),
  minScale: edgeInt(), maxScale: edgeInt(fc.integer({ min: 5, max: 10 })), timeout: edgeInt(fc.integer({ min: 1, max: 600 })),
  percent, tag: edgeName, serviceAccountName: edgeName, target: edgeInt(fc.integer({ min: 1, max: 200 })),
});

test('Knative Service: every generated input is written exactly and passes the strict checks, or is refused with a construct path', () => {
  const t = tally();
  fc.assert(fc.property(knativeInput, (v) => {
    judge(t, JSON.stringify(v), () => {
      const chart = Testing.chart();
      new s.KnativeService(chart, 'fn', {
        name: v.name, serviceAccountName: v.serviceAccountName,
        container: { image: v.image, port: v.port, env: { [v.envName]: '1' } },
        containerConcurrency: v.containerConcurrency, timeout: Duration.seconds(v.timeout),
        autoscaling: { minScale: v.minScale, maxScale: v.maxScale, target: v.target },
        traffic: [s.TrafficTarget.latestRevision({ percent: v.percent, tag: v.tag }), s.TrafficTarget.latestRevision({ percent: 100 - v.percent })],
      });
      return Testing.synth(chart);
    }, (docs) => {
      const ks = find(docs, 'Service', 'serving.knative.dev');
      same('name', ks.metadata.name, v.name);
      const spec = ks.spec.template.spec;
      same('serviceAccountName', spec.serviceAccountName, v.serviceAccountName);
      same('image', spec.containers[0].image, v.image);
      same('port', spec.containers[0].ports, [{ containerPort: v.port }]);
      same('env', spec.containers[0].env, [{ name: v.envName, value: '1' }]);
      same('containerConcurrency', spec.containerConcurrency, v.containerConcurrency);
      same('timeoutSeconds', spec.timeoutSeconds, v.timeout);
      same('annotations', ks.spec.template.metadata.annotations, {
        'autoscaling.knative.dev/target': String(v.target), 'autoscaling.knative.dev/min-scale': String(v.minScale), 'autoscaling.knative.dev/max-scale': String(v.maxScale),
      });
      same('traffic', ks.spec.traffic, [{ latestRevision: true, percent: v.percent, tag: v.tag }, { latestRevision: true, percent: 100 - v.percent }]);
    });
  }), { seed: SEED, numRuns: 100 });
  expectTally('knative', t);
});

const analysisInput = withEdges({
  templateName: edgeName, count: edgeInt(fc.integer({ min: 1, max: 10 })), failureLimit: edgeInt(), interval: seconds, timeout: seconds,
  experimentName: edgeName, replicas: edgeInt(), minReadySeconds: edgeInt(), progressDeadlineSeconds: edgeInt(fc.integer({ min: 60, max: 600 })),
  entryName: edgeName, entryHost: edgeName, entryPort: port,
});

test('AnalysisTemplate, Experiment and ServiceEntry: every generated input is written exactly and passes the strict checks, or is refused with a construct path', () => {
  const t = tally();
  fc.assert(fc.property(analysisInput, (v) => {
    judge(t, JSON.stringify(v), () => {
      const chart = Testing.chart();
      const template = new r.AnalysisTemplate(chart, 'analysis', {
        name: v.templateName,
        metrics: [{
          name: 'up', count: v.count, failureLimit: v.failureLimit, interval: Duration.seconds(v.interval), successCondition: 'result[0] == 1',
          provider: r.MetricProvider.prometheus({ address: 'http://prometheus:9090', query: 'up', timeout: Duration.seconds(v.timeout) }),
        }],
      });
      new r.Experiment(chart, 'experiment', {
        name: v.experimentName, progressDeadlineSeconds: v.progressDeadlineSeconds,
        templates: [{ name: 'baseline', template: r.PodTemplate.of({ labels: { app: 'web' }, spec: POD }), replicas: v.replicas, minReadySeconds: v.minReadySeconds }],
        analyses: [{ name: 'up', template }],
      });
      new m.ServiceEntry(chart, 'entry', {
        name: v.entryName, hosts: [`${v.entryHost}.example.com`], ports: [{ number: v.entryPort, protocol: 'HTTPS', name: 'https' }],
        resolution: m.ServiceEntryResolution.DNS,
      });
      return Testing.synth(chart);
    }, (docs) => {
      const at = find(docs, 'AnalysisTemplate');
      same('template name', at.metadata.name, v.templateName);
      const metric = at.spec.metrics[0];
      same('count', metric.count, v.count);
      same('failureLimit', metric.failureLimit, v.failureLimit);
      same('interval', metric.interval, goDuration(Duration.seconds(v.interval)));
      same('timeout', metric.provider.prometheus.timeout, v.timeout);
      const ex = find(docs, 'Experiment');
      same('experiment name', ex.metadata.name, v.experimentName);
      same('progressDeadlineSeconds', ex.spec.progressDeadlineSeconds, v.progressDeadlineSeconds);
      same('replicas', ex.spec.templates[0].replicas, v.replicas);
      same('minReadySeconds', ex.spec.templates[0].minReadySeconds, v.minReadySeconds);
      const se = find(docs, 'ServiceEntry');
      same('entry name', se.metadata.name, v.entryName);
      same('entry hosts', se.spec.hosts, [`${v.entryHost}.example.com`]);
      same('entry ports', se.spec.ports, [{ number: v.entryPort, protocol: 'HTTPS', name: 'https' }]);
    });
  }), { seed: SEED, numRuns: 60 });
  expectTally('analysis', t);
});
