/**
 * Property test of the workloads layer's value rules: type-correct props with edge values (fixed seed, bounded) either
 * synthesize to documents that pass the strict checks and hold the input values exactly, or are refused with a
 * construct path. 0 exceptions.
 */
import { Chart, Duration as Cdk8sDuration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { Duration } from '../../lib/core';
import {
  ConfigMap, CronJob, CronSchedule, DaemonSet, DaemonSetUpdateStrategy, Deployment, DisruptionLimit, HorizontalPodAutoscaler, Ingress, Job,
  Microservice, Namespace, PersistentVolume, PersistentVolumeClaim, PersistentVolumeSource, Pod, PodDisruptionBudget, Probe, ScaleTarget,
  ScalingBehavior, ScalingPolicy, Secret, Service, StatefulSet, StorageClass,
} from '../../lib/workloads';
import {
  expectTally, SEED, edgeEnvName, edgeImage, edgeInt, edgeKey, edgeLabelValue, edgeName, judge, same, tally, withEdges,
} from '../core/value-properties';

const find = (docs: any[], kind: string) => docs.find((d) => d.kind === kind);
const chart = (): Chart => new Chart(Testing.app(), 'test', { namespace: 'ns' });
const port = edgeInt(fc.integer({ min: 1, max: 65535 }));
const count = edgeInt(fc.integer({ min: 0, max: 5 }));
/** Data values: text, and the empty value, which must be kept. */
const dataValue = { valid: fc.constantFrom('x', 'a: 1\n', '{}'), edge: fc.constantFrom('', ' ', '\n', 'ü') };
/** Durations in seconds: whole ones, and fractions (not a whole number of seconds), 0, negatives. */
const seconds = { valid: fc.integer({ min: 1, max: 30 }), edge: fc.constantFrom(0, 1.5, -1, 0.001, 3600) };


const podInput = withEdges({
  name: edgeName, labelKey: edgeKey, labelValue: edgeLabelValue, annotationKey: edgeKey,
  replicas: count, revisionHistoryLimit: count, image: edgeImage, envName: edgeEnvName, port, period: seconds,
  cpuMillis: edgeInt(fc.integer({ min: 1, max: 4000 })), containerName: edgeName, user: edgeInt(fc.integer({ min: 1000, max: 65535 })), maxSurge: count,
});

test('Deployment and its pods: every generated input is written exactly and passes the strict checks, or is refused with a construct path', () => {
  const t = tally();
  fc.assert(fc.property(podInput, (v) => {
    judge(t, JSON.stringify(v), () => {
      const c = chart();
      new Deployment(c, 'web', {
        metadata: { name: v.name, labels: { [v.labelKey]: v.labelValue }, annotations: { [v.annotationKey]: v.labelValue } },
        replicas: v.replicas, revisionHistoryLimit: v.revisionHistoryLimit,
        strategy: kplus.DeploymentStrategy.rollingUpdate({ maxSurge: kplus.PercentOrAbsolute.absolute(v.maxSurge), maxUnavailable: kplus.PercentOrAbsolute.percent(25) }),
        containers: [{ securityContext: { user: v.user },
          name: v.containerName, image: v.image, portNumber: v.port, envVariables: { [v.envName]: kplus.EnvValue.fromValue('1') },
          resources: { cpu: { request: kplus.Cpu.millis(v.cpuMillis) } },
          readiness: Probe.fromTcpSocket({ period: Duration.seconds(v.period) }),
        }],
      });
      return Testing.synth(c);
    }, (docs) => {
      const d = find(docs, 'Deployment');
      same('name', d.metadata.name, v.name);
      same('labels', d.metadata.labels, { [v.labelKey]: v.labelValue });
      same('annotations', d.metadata.annotations, { [v.annotationKey]: v.labelValue });
      same('replicas', d.spec.replicas, v.replicas);
      same('revisionHistoryLimit', d.spec.revisionHistoryLimit, v.revisionHistoryLimit);
      const ct = d.spec.template.spec.containers[0];
      same('container name', ct.name, v.containerName);
      same('image', ct.image, v.image);
      same('port', ct.ports[0].containerPort, v.port);
      same('env', ct.env, [{ name: v.envName, value: '1' }]);
      same('cpu', ct.resources.requests.cpu, `${v.cpuMillis}m`);
      same('probe period', ct.readinessProbe.periodSeconds, v.period);
      same('runAsUser', ct.securityContext.runAsUser, v.user);
      same('maxSurge', d.spec.strategy.rollingUpdate.maxSurge, v.maxSurge);
    });
  }), { seed: SEED, numRuns: 100 });
  expectTally('Deployment', t);
});

const kindsInput = withEdges({
  kind: { valid: fc.constantFrom(0, 1, 2, 3, 4), edge: fc.constantFrom(0, 1, 2, 3, 4) },
  name: edgeName, labelKey: edgeKey, labelValue: edgeLabelValue, replicas: count, backoffLimit: count, image: edgeImage,
  envName: edgeEnvName, ordinalsStart: count, completions: count,
  // cdk8s' own Duration refuses negatives in its factory, before slipway sees them.
  activeDeadline: { valid: seconds.valid, edge: fc.constantFrom(0, 1.5, 0.001, 3600) },
});

test('StatefulSet, DaemonSet, Job, CronJob and Pod: every generated input is written exactly and passes the strict checks, or is refused with a construct path', () => {
  const t = tally();
  fc.assert(fc.property(kindsInput, (v) => {
    const metadata = { name: v.name, labels: { [v.labelKey]: v.labelValue } };
    const containers = [{ image: v.image, portNumber: 8080, envVariables: { [v.envName]: kplus.EnvValue.fromValue('1') } }];
    const job = { backoffLimit: v.backoffLimit, completions: v.completions, activeDeadline: Cdk8sDuration.seconds(v.activeDeadline) };
    judge(t, JSON.stringify(v), () => {
      const c = chart();
      if (v.kind === 0) new StatefulSet(c, 'w', { metadata, replicas: v.replicas, ordinalsStart: v.ordinalsStart, containers });
      if (v.kind === 1) new DaemonSet(c, 'w', { metadata, containers });
      if (v.kind === 2) new Job(c, 'w', { metadata, ...job, containers });
      if (v.kind === 3) new CronJob(c, 'w', { metadata, schedule: CronSchedule.expression('0 * * * *'), ...job, containers });
      if (v.kind === 4) new Pod(c, 'w', { metadata, containers });
      return Testing.synth(c);
    }, (docs) => {
      const d = docs.find((x) => x.kind !== 'Service');
      same('name', d.metadata.name, v.name);
      // cdk8s-plus-28 adds its own label to a bare Pod.
      same('label', d.metadata.labels[v.labelKey], v.labelValue);
      const spec = v.kind === 3 ? d.spec.jobTemplate.spec : d.spec;
      const pod = v.kind === 4 ? d.spec : spec.template.spec;
      same('image', pod.containers[0].image, v.image);
      same('env', pod.containers[0].env, [{ name: v.envName, value: '1' }]);
      if (v.kind === 0) {
        same('replicas', spec.replicas, v.replicas);
        same('ordinals', spec.ordinals?.start ?? 0, v.ordinalsStart);
      }
      if (v.kind === 2 || v.kind === 3) {
        same('backoffLimit', spec.backoffLimit, v.backoffLimit);
        same('completions', spec.completions, v.completions);
        same('activeDeadlineSeconds', spec.activeDeadlineSeconds, v.activeDeadline);
      }
    });
  }), { seed: SEED, numRuns: 120 });
  expectTally('pod kinds', t);
});

const objectsInput = withEdges({
  name: edgeName, labelKey: edgeKey, labelValue: edgeLabelValue, servicePort: port, targetPort: port,
  minReplicas: edgeInt(fc.integer({ min: 1, max: 3 })), maxReplicas: edgeInt(fc.integer({ min: 3, max: 10 })), cpuUtilization: edgeInt(fc.integer({ min: 1, max: 100 })),
  targetName: edgeName, pdb: count, dataKey: { valid: fc.constantFrom('a', 'app.yaml', 'X_1'), edge: fc.constantFrom('', 'a b', '..', 'a/b', 'k'.repeat(254), 'ü') },
  dataValue, namespace: edgeName,
  // cdk8s' own Size refuses negatives in its factory, before slipway sees them.
  storageMib: { valid: fc.integer({ min: 1, max: 4096 }), edge: fc.constantFrom(0, 0.5, 1.5, 1024, 2 ** 31, NaN, Infinity) },
});

test('Service, HPA, PDB, ConfigMap, Secret, PVC and Namespace: every generated input is written exactly and passes the strict checks, or is refused with a construct path', () => {
  const t = tally();
  fc.assert(fc.property(objectsInput, (v) => {
    const metadata = { name: v.name, labels: { [v.labelKey]: v.labelValue } };
    judge(t, JSON.stringify(v), () => {
      const c = chart();
      const svc = new Service(c, 'svc', { metadata, ports: [{ port: v.servicePort, targetPort: v.targetPort }] });
      svc.selectLabel('app', 'web');
      new HorizontalPodAutoscaler(c, 'hpa', { metadata, target: ScaleTarget.of('apps/v1', 'Deployment', v.targetName),
        minReplicas: v.minReplicas, maxReplicas: v.maxReplicas, cpuUtilization: v.cpuUtilization });
      new PodDisruptionBudget(c, 'pdb', { metadata, selector: { app: 'web' }, limit: DisruptionLimit.minAvailable(v.pdb) });
      new ConfigMap(c, 'cm', { metadata, data: { [v.dataKey]: v.dataValue } });
      new Secret(c, 'secret', { metadata, stringData: { [v.dataKey]: v.dataValue } });
      new PersistentVolumeClaim(c, 'pvc', { metadata, storage: Size.mebibytes(v.storageMib) });
      new Namespace(c, 'ns', { name: v.namespace, labels: { [v.labelKey]: v.labelValue } });
      return Testing.synth(c);
    }, (docs) => {
      for (const d of docs) {
        if (d.kind !== 'Namespace') same(`${d.kind} name`, d.metadata.name, v.name);
        same(`${d.kind} label`, d.metadata.labels[v.labelKey], v.labelValue);
      }
      const svc = find(docs, 'Service');
      same('service port', svc.spec.ports[0].port, v.servicePort);
      same('target port', svc.spec.ports[0].targetPort, v.targetPort);
      const hpa = find(docs, 'HorizontalPodAutoscaler');
      same('minReplicas', hpa.spec.minReplicas, v.minReplicas);
      same('maxReplicas', hpa.spec.maxReplicas, v.maxReplicas);
      same('target', hpa.spec.scaleTargetRef.name, v.targetName);
      same('utilization', hpa.spec.metrics[0].resource.target.averageUtilization, v.cpuUtilization);
      same('pdb', find(docs, 'PodDisruptionBudget').spec.minAvailable, v.pdb);
      same('configmap data', find(docs, 'ConfigMap').data, { [v.dataKey]: v.dataValue });
      same('secret data', find(docs, 'Secret').stringData, { [v.dataKey]: v.dataValue });
      same('namespace', find(docs, 'Namespace').metadata.name, v.namespace);
      const kib = v.storageMib * 1024;
      same('storage', find(docs, 'PersistentVolumeClaim').spec.resources.requests.storage,
        kib % (1024 * 1024) === 0 ? `${kib / 1024 / 1024}Gi` : kib % 1024 === 0 ? `${kib / 1024}Mi` : `${kib}Ki`);
    });
  }), { seed: SEED, numRuns: 100 });
  expectTally('objects', t);
});

const microInput = withEdges({
  name: edgeName, image: edgeImage, port, servicePort: port, replicas: count, portName: edgeName,
  maxReplicas: edgeInt(fc.integer({ min: 2, max: 10 })), autoscale: { valid: fc.boolean(), edge: fc.boolean() },
});

test('Microservice: every generated input is written exactly and passes the strict checks, or is refused with a construct path', () => {
  const t = tally();
  fc.assert(fc.property(microInput, (v) => {
    judge(t, JSON.stringify(v), () => {
      const c = chart();
      new Microservice(c, 'web', { name: v.name, image: v.image, port: v.port, servicePort: v.servicePort, portName: v.portName,
        replicas: v.autoscale ? undefined : v.replicas, autoscaling: v.autoscale ? { maxReplicas: v.maxReplicas } : undefined });
      return Testing.synth(c);
    }, (docs) => {
      const d = find(docs, 'Deployment');
      same('name', d.metadata.name, v.name);
      same('image', d.spec.template.spec.containers[0].image, v.image);
      same('port', d.spec.template.spec.containers[0].ports[0].containerPort, v.port);
      const svc = find(docs, 'Service');
      same('service port', svc.spec.ports[0].port, v.servicePort);
      same('port name', svc.spec.ports[0].name, v.portName);
      if (v.autoscale) same('maxReplicas', find(docs, 'HorizontalPodAutoscaler').spec.maxReplicas, v.maxReplicas);
      else same('replicas', d.spec.replicas, v.replicas);
    });
  }), { seed: SEED, numRuns: 60 });
  expectTally('Microservice', t);
});

const edgesInput = withEdges({
  name: edgeName, annotationKey: edgeKey, annotationValue: { valid: fc.constantFrom('x', 'a b', ''), edge: fc.constantFrom('', '\n', 'ü') },
  host: edgeName, backendPort: port, failureThreshold: count, probePort: port, grpcPort: port, lun: edgeInt(fc.integer({ min: 0, max: 255 })),
  maxUnavailable: count, percent: edgeInt(fc.integer({ min: 0, max: 100 })), policyValue: edgeInt(fc.integer({ min: 1, max: 10 })),
  priorityClassName: edgeName, nodeSelectorValue: edgeLabelValue,
});

test('Ingress, StorageClass, PersistentVolume, probes, update strategies, budgets and scaling policies: every generated input is written exactly and passes the strict checks, or is refused with a construct path', () => {
  const t = tally();
  fc.assert(fc.property(edgesInput, (v) => {
    const metadata = { name: v.name, annotations: { [v.annotationKey]: v.annotationValue } };
    judge(t, JSON.stringify(v), () => {
      const c = chart();
      const ingress = new Ingress(c, 'ingress', { metadata });
      ingress.addHostRule(`${v.host}.example.com`, '/', Ingress.backendForServiceName('web', v.backendPort), kplus.HttpIngressPathType.PREFIX);
      new StorageClass(c, 'sc', { metadata, provisioner: 'ebs.csi.aws.com' });
      new PersistentVolume(c, 'pv', { metadata, storage: Size.gibibytes(1), source: PersistentVolumeSource.iscsi('10.0.0.1:3260', 'iqn.2001-04.com.example:disk', v.lun) });
      const ds = new DaemonSet(c, 'ds', {
        metadata, priorityClassName: v.priorityClassName, updateStrategy: DaemonSetUpdateStrategy.rollingUpdate({ maxUnavailable: v.maxUnavailable }),
        containers: [{ image: 'registry.example.com/agent:1', portNumber: 9100,
          liveness: Probe.fromTcpSocket({ port: v.probePort, failureThreshold: v.failureThreshold }), readiness: Probe.fromGrpc(v.grpcPort) }],
      });
      ds.addNodeSelector('pool', v.nodeSelectorValue);
      new PodDisruptionBudget(c, 'pdb', { metadata, selector: { app: 'agent' }, limit: DisruptionLimit.maxUnavailablePercent(v.percent) });
      new HorizontalPodAutoscaler(c, 'hpa', { metadata, target: ScaleTarget.of('apps/v1', 'Deployment', 'web'), maxReplicas: 5,
        behavior: ScalingBehavior.of({ scaleUp: { policies: [ScalingPolicy.pods(v.policyValue, Duration.seconds(15))] } }) });
      return Testing.synth(c);
    }, (docs) => {
      for (const d of docs) {
        same(`${d.kind} name`, d.metadata.name, v.name);
        same(`${d.kind} annotation`, d.metadata.annotations?.[v.annotationKey], v.annotationValue);
      }
      const rule = find(docs, 'Ingress').spec.rules[0];
      same('host', rule.host, `${v.host}.example.com`);
      same('backend port', rule.http.paths[0].backend.service.port.number, v.backendPort);
      same('lun', find(docs, 'PersistentVolume').spec.iscsi.lun, v.lun);
      const ds = find(docs, 'DaemonSet');
      same('maxUnavailable', ds.spec.updateStrategy.rollingUpdate.maxUnavailable, v.maxUnavailable);
      same('priorityClassName', ds.spec.template.spec.priorityClassName, v.priorityClassName);
      same('nodeSelector', ds.spec.template.spec.nodeSelector, { pool: v.nodeSelectorValue });
      const ct = ds.spec.template.spec.containers[0];
      same('liveness port', ct.livenessProbe.tcpSocket.port, v.probePort);
      same('failureThreshold', ct.livenessProbe.failureThreshold, v.failureThreshold);
      same('grpc port', ct.readinessProbe.grpc.port, v.grpcPort);
      same('pdb', find(docs, 'PodDisruptionBudget').spec.maxUnavailable, `${v.percent}%`);
      same('policy', find(docs, 'HorizontalPodAutoscaler').spec.behavior.scaleUp.policies[0].value, v.policyValue);
    });
  }), { seed: SEED, numRuns: 100 });
  expectTally('storage, ingress, probes', t);
});
