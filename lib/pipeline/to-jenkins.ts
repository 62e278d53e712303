import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as jenkins from '../jenkins';
import { scopeOf, StepScope, stepAccess } from './access';
import { ContainerProps, Node, Resources } from './node';
import { Param, ParamType } from './param';
import type { Pipeline } from './pipeline';
import { PostCondition } from './post';
import { Secret, SecretKind } from './secret';
import { Stage } from './stage';
import { Step, StepKind } from './step';
import { When, WhenKind } from './when';

/** Options of {@link Pipeline.toJenkins}. */
export interface JenkinsTargetOptions {
  /**
   * Output path under the synth directory.
   * @default `jenkins/<pipeline name>.Jenkinsfile`
   */
  readonly path?: string;
  /**
   * Where the committed copy lives in the repository (checked or updated by `PipelineApp`).
   * @default - no committed copy
   */
  readonly committedPath?: string;
  /**
   * Kubernetes cloud configured in Jenkins.
   * @default - the first cloud
   */
  readonly cloud?: string;
  /**
   * Namespace of the agent pods.
   * @default - the cloud's namespace
   */
  readonly namespace?: string;
}

/**
 * Lowers a portable pipeline to a `jenkins.Jenkinsfile` (a child `Jenkinsfile` of the pipeline):
 * Node → `agent { kubernetes { yaml … } }`, Stage → `stage`, steps → `sh`/`checkout`/… (in `container('…') { … }`
 * outside the default container), secrets → `withCredentials` around the steps that read them, approvals → `input`. Every text goes through the Jenkins layer's escaper.
 */
export function lowerToJenkins(p: Pipeline, options: JenkinsTargetOptions = {}): jenkins.Jenkinsfile {
  const node = p.runsOn;
  const environment: Record<string, jenkins.EnvValue> = {};
  for (const [k, v] of Object.entries(p.environment)) environment[k] = jenkins.EnvValue.of(v);
  const jf = new jenkins.Jenkinsfile(p, 'Jenkinsfile', {
    path: options.path ?? `jenkins/${p.pipelineName}.Jenkinsfile`,
    committedPath: options.committedPath,
    agent: kubernetesAgent(node, options),
    ...(p.params.length ? { parameters: p.params.map(parameter) } : {}),
    options: [jenkins.Option.timeout(p.timeout)],
    ...(Object.keys(environment).length ? { environment } : {}),
  });
  for (const stage of p.stages) {
    if (stage.isParallel) {
      const group = jf.addStage(stage.stageName, directives(stage));
      for (const b of stage.branches) {
        group.addParallel(b.stageName, Object.assign(directives(b), { steps: steps(node, b.steps, b.stepNames(), scopeOf(p, stage, b)) }));
      }
    } else if (stage.matrix) {
      const cell = jf.addStage(stage.stageName);
      const m = cell.addMatrix({
        ...directives(stage),
        axes: stage.matrix.axes.map((a) => ({ name: a.name, values: a.values })),
        ...(stage.matrix.excludes.length ? { excludes: stage.matrix.excludes.map((e) => Object.entries(e).map(([name, v]) => ({ name, values: [v] }))) } : {}),
      });
      m.addStage(stage.stageName, { steps: steps(node, stage.steps, stage.stepNames(), scopeOf(p, stage)) });
    } else {
      // Object.assign, not `{ ...directives(stage), steps }`: a leading spread with more keys is slow in Node 20's V8.
      jf.addStage(stage.stageName, Object.assign(directives(stage), { steps: steps(node, stage.steps, stage.stepNames(), scopeOf(p, stage)) }));
    }
  }
  const conditions: Array<[PostCondition, jenkins.PostCondition]> = [
    [PostCondition.ALWAYS, jenkins.PostCondition.ALWAYS], [PostCondition.SUCCESS, jenkins.PostCondition.SUCCESS],
    [PostCondition.FAILURE, jenkins.PostCondition.FAILURE]];
  for (const [c, jc] of conditions) {
    const post = p.post(c);
    if (post.length) jf.addPost(jc, ...steps(node, post, p.postStepNames(c), scopeOf(p)));
  }
  return jf;
}

function kubernetesAgent(node: Node, options: JenkinsTargetOptions): jenkins.Agent {
  const root = node.containers.filter((c) => c.runAsRoot).map((c) => c.name);
  return jenkins.Agent.kubernetes({
    containers: node.containers.map(container),
    defaultContainer: node.defaultContainer.name,
    ...(node.serviceAccount ? { serviceAccount: node.serviceAccount } : {}),
    ...(options.cloud ? { cloud: options.cloud } : {}),
    ...(options.namespace ? { namespace: options.namespace } : {}),
    ...(root.length ? { podSecurity: jenkins.PodSecurity.baseline(`containers ${root.join(', ')} set runAsRoot in the portable Node`) } : {}),
  });
}

/** A node container as cdk8s-plus props: kept alive for `container()` blocks, restricted unless `runAsRoot`. */
function container(c: ContainerProps): kplus.ContainerProps {
  const r = c.resources ?? Resources.DEFAULT;
  return {
    name: c.name,
    image: c.image,
    command: ['sleep'],
    args: ['99d'],
    resources: {
      cpu: { request: cpu(r.cpu), ...(r.cpuLimit ? { limit: cpu(r.cpuLimit) } : {}) },
      memory: { request: memory(r.memory), ...(r.memoryLimit ? { limit: memory(r.memoryLimit) } : {}) },
    },
    // Written per container, so a baseline pod (one root image builder) keeps the others restricted.
    securityContext: Object.assign({}, RESTRICTED, c.runAsRoot ? { ensureNonRoot: false, user: 0 } : { ensureNonRoot: true, user: 1000, group: 1000 }),
  };
}

const RESTRICTED: kplus.ContainerSecurityContextProps = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: [kplus.Capability.ALL] },
  seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
};

function cpu(q: string): kplus.Cpu {
  return q.endsWith('m') ? kplus.Cpu.millis(Number(q.slice(0, -1))) : kplus.Cpu.units(Number(q));
}

function memory(q: string): Size {
  const n = Number(q.slice(0, -2));
  switch (q.slice(-2)) {
    case 'Ki': return Size.kibibytes(n);
    case 'Mi': return Size.mebibytes(n);
    case 'Gi': return Size.gibibytes(n);
    default: return Size.tebibytes(n);
  }
}

function parameter(p: Param): jenkins.Parameter {
  const description = p.description !== undefined ? { description: p.description } : {};
  switch (p.type) {
    case ParamType.BOOLEAN: return jenkins.Parameter.booleanParam({ name: p.name, defaultValue: p.defaultValue === 'true', ...description });
    case ParamType.CHOICE: return jenkins.Parameter.choice({ name: p.name, choices: p.choices, ...description });
    default: return jenkins.Parameter.string({ name: p.name, defaultValue: p.defaultValue, ...description });
  }
}

function directives(s: Stage): jenkins.StageProps {
  const options: jenkins.Option[] = [];
  if (s.timeout) options.push(jenkins.Option.timeout(s.timeout));
  // Jenkins counts attempts, the portable model (like Tekton) counts extra attempts.
  if (s.retries > 0) options.push(jenkins.Option.retry(s.retries + 1));
  const environment: Record<string, jenkins.EnvValue> = {};
  for (const [k, v] of Object.entries(s.environment)) environment[k] = jenkins.EnvValue.of(v);
  const when = s.when.map(condition);
  return {
    ...(options.length ? { options } : {}),
    ...(Object.keys(environment).length ? { environment } : {}),
    ...(when.length ? { when: when.length === 1 ? when[0] : jenkins.When.allOf(...when) } : {}),
  };
}

function condition(w: When): jenkins.When {
  return w.negated ? jenkins.When.not(positive(w)) : positive(w);
}

function positive(w: When): jenkins.When {
  const any = (list: jenkins.When[]) => (list.length === 1 ? list[0] : jenkins.When.anyOf(...list));
  const cmp = (v: string) => (/[*?]/.test(v) ? jenkins.Comparator.GLOB : jenkins.Comparator.EQUALS);
  switch (w.kind) {
    case WhenKind.BRANCH: return any(w.values.map((v) => jenkins.When.branch(v, cmp(v))));
    case WhenKind.TAG: return w.values.length === 0 ? jenkins.When.buildingTag() : any(w.values.map((v) => jenkins.When.tag(v, cmp(v))));
    default: return any(w.values.map((v) => jenkins.When.equals(v, jenkins.Text.of(jenkins.Ref.param(w.param!.name)))));
  }
}

/**
 * Portable steps → Jenkins steps. Each step gets only the secrets it reads ({@link stepAccess}), bound with
 * `withCredentials` (username/password with explicit `_USR`/`_PSW` variables, what Tekton sees). Adjacent steps in
 * one container share one `container` block (none for the agent's `defaultContainer`), and adjacent steps with the
 * same bindings share one `withCredentials` block inside it.
 */
function steps(node: Node, list: Step[], names: string[], scope: StepScope): jenkins.Step[] {
  const out: jenkins.Step[] = [];
  const items = list.map((st, i) => ({ st, name: names[i], secrets: stepAccess(st, scope).secrets }));
  for (const group of runs(items, (x) => (x.st.kind === StepKind.APPROVAL ? undefined : x.st.container ?? node.defaultContainer.name))) {
    const first = group[0].st;
    if (first.kind === StepKind.APPROVAL) {
      out.push(...group.map(({ st }) => jenkins.Step.input({ message: st.message!, ...(st.approvers.length ? { submitter: st.approvers.join(',') } : {}) })));
      continue;
    }
    const body: jenkins.Step[] = [];
    for (const bound of runs(group, (x) => x.secrets.map((sec) => `${sec.kind}:${sec.variable}:${sec.credentialsId}`).join(','))) {
      const inner = bound.map(({ st, name }) => (st.dir ? jenkins.Step.dir(st.dir, [step(st, name)]) : step(st, name)));
      body.push(...(bound[0].secrets.length ? [jenkins.Step.withCredentials(bound[0].secrets.flatMap(binding), inner)] : inner));
    }
    const c = first.container ? node.container(first.container)! : node.defaultContainer;
    // The agent runs every step in `defaultContainer` already; only another container (or a shell) needs a block.
    out.push(...(c === node.defaultContainer && !c.shell ? body : [jenkins.Step.container(c.name, body, c.shell ? { shell: c.shell } : {})]));
  }
  return out;
}

/** Splits `items` into maximal runs of adjacent items with the same key (approvals, keyed undefined, stay alone). */
function runs<T>(items: T[], key: (x: T) => string | undefined): T[][] {
  const out: T[][] = [];
  let last: string | undefined;
  for (const x of items) {
    const k = key(x);
    if (out.length && k !== undefined && k === last) out[out.length - 1].push(x);
    else out.push([x]);
    last = k;
  }
  return out;
}

function step(st: Step, name: string): jenkins.Step {
  switch (st.kind) {
    case StepKind.CHECKOUT: return jenkins.Step.checkout();
    case StepKind.PUBLISH_TESTS: return jenkins.Step.junit(st.pattern!);
    case StepKind.ARCHIVE_ARTIFACTS: return jenkins.Step.archiveArtifacts({ artifacts: st.pattern! });
    default: return jenkins.Step.sh(st.script!, { label: name });
  }
}

function binding(s: Secret): jenkins.Credential[] {
  return s.kind === SecretKind.USERNAME_PASSWORD
    ? [jenkins.Credential.usernamePassword({ credentialsId: s.credentialsId, usernameVariable: `${s.variable}_USR`, passwordVariable: `${s.variable}_PSW` })]
    : [jenkins.Credential.string({ credentialsId: s.credentialsId, variable: s.variable })];
}
