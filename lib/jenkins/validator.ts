/**
 * Jenkins' Declarative validator rules that need no controller (research/jenkins.md §2.1), plus slipway's
 * safety rules, run over the AST at synth. Each violation names where it is (`stage "Build" > parallel …`),
 * the bad value and the fix.
 */
import { RuleViolation, finiteViolations, show } from '../core';
import {
  AgentAst, Call, ConditionAst, DirectivesAst, EnvAst, Expr, InputAst, MatrixAst, OptionAst, PipelineAst, StageAst,
  WhenAst,
} from './ast';
import { Text, isIdentifier } from './groovy';
import { PreludeAst } from './prelude';

const ENV_FIX = 'start with a letter or underscore and use only letters, digits and underscores';

interface Scope {
  /** Container names of the enclosing kubernetes agent, when fully known. */
  readonly containers?: readonly string[];
  readonly withinParallel: boolean;
  /** False under `agent none` until a stage or matrix declares an agent (or, in Scripted, outside `node`). */
  readonly hasNode: boolean;
  /** True in a Scripted Jenkinsfile. */
  readonly scriptedFile?: boolean;
}

/** Scripted structure Declarative refuses in `steps` (`validator/BlockedStepsAndMethodCalls` and the model). */
const BLOCKED_STEPS = new Set(['stage', 'properties', 'parallel', 'node', 'pipeline', 'podTemplate']);
const SCRIPT_FIX = ', or wrap it in Step.script([...]) where Declarative allows any step';
const BLOCKED_FIX: Record<string, string> = {
  parallel: `use Stage.addParallel() instead${SCRIPT_FIX}`,
  stage: `use Stage.addStage() instead${SCRIPT_FIX}`,
  node: `give the stage an agent instead${SCRIPT_FIX}`,
  podTemplate: `give the stage Agent.kubernetes() instead${SCRIPT_FIX}`,
  properties: `use the pipeline's options, parameters and triggers instead${SCRIPT_FIX}`,
  if: `use a when condition on the stage instead${SCRIPT_FIX}`,
  def: `use the stage's environment instead${SCRIPT_FIX}`,
  for: `use a matrix instead${SCRIPT_FIX}`,
  default: `use the matching Declarative section (agent, options, parameters, triggers, post) instead${SCRIPT_FIX}`,
};

/** The secrets in scope after a pipeline's, stage's or matrix's directives: `credentials()` values, withCredentials options, password inputs. */
function directiveSecrets(d: DirectivesAst, outer: ReadonlySet<string>, inputs: readonly Call[] = []): ReadonlySet<string> {
  const out = new Set(outer);
  for (const e of d.environment ?? []) if (e.secret) [e.name, `${e.name}_USR`, `${e.name}_PSW`].forEach((n) => out.add(n));
  for (const o of d.options ?? []) (o.call.binds ?? []).forEach((b) => out.add(b));
  for (const c of inputs) if (c.name === 'password') out.add(nameArg(c));
  return out;
}

/** Steps that need a workspace, so fail at run time under `agent none` (ModelInterpreter's NoNodeContext). */
const NODE_STEPS = new Set(['sh', 'bat', 'powershell', 'pwsh', 'checkout', 'git', 'stash', 'unstash', 'archiveArtifacts', 'junit',
  'dir', 'container', 'deleteDir', 'cleanWs', 'withKubeConfig', 'docker.image.inside']);

const hasNode = (a: AgentAst | undefined, outer: boolean): boolean => (a ? a.type !== 'none' : outer);

class Walker {
  readonly out: RuleViolation[] = [];
  readonly secretParams = new Set<string>();
  /** Variables that hold secrets where the walk is (a stack: entering a stage or binding block adds, leaving restores). */
  private secrets: ReadonlySet<string> = new Set();

  add(where: string, rule: string, message: string, fix: string): void {
    this.out.push({ rule, message: `${where}: ${message}`, fix });
  }

  problems(where: string, list: readonly RuleViolation[] | undefined): void {
    for (const v of list ?? []) this.add(where, v.rule, v.message, v.fix);
  }

  pipeline(p: PipelineAst): void {
    const where = 'pipeline';
    for (const c of p.parameters ?? []) if (c.name === 'password') this.secretParams.add(nameArg(c));
    this.secrets = directiveSecrets(p, new Set());
    if (!p.agent) {
      this.add(where, 'agent-required', 'the pipeline has no agent', 'set agent, e.g. Agent.kubernetes({...}), Agent.any() or Agent.none()');
    }
    if (p.stages.length === 0) this.add(where, 'stages-required', 'the pipeline has no stages', 'add a stage with addStage()');
    this.emptySection(where, 'parameters', p.parameters);
    this.emptySection(where, 'triggers', p.triggers);
    this.emptySection(where, 'libraries', p.libraries);
    this.problems(where, p.libraryProblems);
    for (const c of p.parameters ?? []) this.problems(`${where} > parameters`, c.problems);
    this.duplicates(where, 'parameter', (p.parameters ?? []).map((c) => nameArg(c)));
    for (const c of p.triggers ?? []) {
      this.problems(`${where} > triggers`, c.problems);
      this.exprs(`${where} > triggers`, c.args.map((a) => a.value));
    }
    this.duplicates(where, 'trigger', (p.triggers ?? []).map((c) => c.name));
    this.directives(where, p, 'pipeline');
    const scope: Scope = { containers: p.agent?.containers, withinParallel: false, hasNode: hasNode(p.agent, true) };
    this.stageList(where, p.stages, scope);
    this.post(where, p, scope);
  }

  private emptySection(where: string, section: string, list: readonly unknown[] | undefined): void {
    if (list !== undefined && list.length === 0) {
      this.add(where, 'section-empty', `${section} is empty`, `add at least one entry to ${section}, or leave it out`);
    }
  }

  private duplicates(where: string, what: string, names: readonly string[]): void {
    const seen = new Set<string>();
    for (const n of names) {
      if (seen.has(n)) this.add(where, `duplicate-${what}`, `duplicate ${what} name ${show(n)}`, `declare each ${what} once`);
      seen.add(n);
    }
  }

  private directives(where: string, d: DirectivesAst & { when?: WhenAst; input?: InputAst }, level: string): void {
    if (d.agent) this.agent(where, d.agent);
    if (d.environment) this.environment(where, d.environment);
    if (d.options) this.options(where, d.options, level);
    this.emptySection(where, 'tools', d.tools);
    for (const t of d.tools ?? []) {
      this.problems(`${where} > tools`, t.problems);
      this.exprs(`${where} > tools`, t.args.map((a) => a.value));
    }
    this.duplicates(where, 'tool', (d.tools ?? []).map((t) => t.name));
    if (d.when) this.when(where, d.when);
    if (d.input) this.input(where, d.input);
  }

  private agent(where: string, a: AgentAst): void {
    const w = `${where} > agent`;
    this.problems(w, a.problems);
    for (const r of a.required) {
      const p = a.params.find((x) => x.name === r);
      const v = p?.value ?? a.value;
      if (!v || (v.k === 'str' && v.v.trim() === '')) {
        this.add(w, 'agent-missing-parameter', `agent type ${show(a.type)} is missing required parameter ${show(r)}`, `set ${r}`);
      }
    }
    if (a.value) this.exprs(w, [a.value]);
    this.exprs(w, a.params.map((p) => p.value));
  }

  private environment(where: string, env: readonly EnvAst[]): void {
    const w = `${where} > environment`;
    if (env.length === 0) this.add(where, 'section-empty', 'environment is empty', 'add at least one variable, or leave it out');
    for (const e of env) {
      if (!isIdentifier(e.name)) {
        this.add(w, 'environment-identifier', `${show(e.name)} is not a valid identifier and cannot be used for an environment variable`, ENV_FIX);
      }
      this.problems(w, e.problems);
      if (e.value.k === 'call') this.problems(w, e.value.call.problems);
      if (e.value.k === 'call') {
        const id = e.value.call.args[0]?.value;
        if (id?.k === 'str' && id.v.trim() === '') this.add(w, 'credentials-id', `credentials() of ${show(e.name)} has an empty id`, 'give the id of a Jenkins credential');
      }
      this.exprs(w, [e.value]);
    }
  }

  private options(where: string, opts: readonly OptionAst[], level: string): void {
    const w = `${where} > options`;
    this.emptySection(where, 'options', opts);
    for (const o of opts) {
      this.problems(w, o.call.problems);
      // Argument values too: numbers, run-time text, and the bindings of withCredentials with their own problems.
      this.exprs(w, o.call.args.map((a) => a.value));
      if (level !== 'pipeline' && !o.inStage) {
        this.add(w, 'option-stage-scope', `option ${show(o.call.name)} can only be used on the pipeline, not in a ${level}`,
          'move it to the pipeline options');
      }
    }
    this.duplicates(where, 'option', opts.map((o) => o.call.name));
  }

  private when(where: string, wh: WhenAst): void {
    const w = `${where} > when`;
    if (wh.conditions.length === 0) {
      this.add(w, 'when-modifier-without-condition', 'beforeAgent/beforeInput/beforeOptions is set but there is no when condition',
        'add a when condition, or drop the modifier');
    }
    const visit = (c: ConditionAst): void => {
      this.problems(w, c.problems);
      this.exprs(w, c.args.map((a) => a.value));
      c.children?.forEach(visit);
    };
    wh.conditions.forEach(visit);
  }

  private input(where: string, i: InputAst): void {
    const w = `${where} > input`;
    if (typeof i.message !== 'string') this.text(w, i.message);
    if (typeof i.message === 'string' && i.message.trim() === '') {
      this.add(w, 'input-message-required', 'input message is empty', 'say what the approver is asked, e.g. "Deploy to production?"');
    }
    if (i.submitterParameter !== undefined && !isIdentifier(i.submitterParameter)) {
      this.add(w, 'identifier', `input submitterParameter ${show(i.submitterParameter)} is not a valid identifier`, ENV_FIX);
    }
    if (i.parameters) {
      if (i.parameters.length === 0) this.add(w, 'section-empty', 'input parameters are empty', 'add a parameter, or leave them out');
      for (const c of i.parameters) this.problems(w, c.problems);
      this.duplicates(w, 'parameter', i.parameters.map(nameArg));
    }
  }

  private stageList(where: string, stages: readonly StageAst[], scope: Scope): void {
    const seen = new Set<string>();
    for (const s of stages) {
      if (seen.has(s.name)) {
        this.add(where, 'duplicate-stage-name', `duplicate stage name ${show(s.name)}`, 'give sibling stages different names');
      }
      seen.add(s.name);
      this.stage(`${where} > stage ${show(s.name)}`, s, scope);
    }
  }

  private stage(where: string, s: StageAst, outer: Scope): void {
    if (s.name.trim() === '') this.add(where, 'stage-name-required', `stage name ${show(s.name)} is empty`, 'give the stage a name');
    const bodies = [s.steps && 'steps', s.stages && 'stages', s.parallel && 'parallel', s.matrix && 'matrix'].filter(Boolean);
    if (bodies.length === 0) {
      this.add(where, 'stage-body-required', `stage ${show(s.name)} has no steps, stages, parallel or matrix`,
        'give it steps, or add nested, parallel or matrix stages');
    } else if (bodies.length > 1) {
      this.add(where, 'stage-body-exclusive', `stage ${show(s.name)} has ${bodies.join(' and ')}; only one is allowed`,
        'move the extra part into a nested stage');
    }
    const fanOut = s.parallel !== undefined || s.matrix !== undefined;
    if (fanOut && s.agent) {
      this.add(where, 'parallel-stage-agent', `"agent" is not allowed in stage ${show(s.name)} as it contains parallel or matrix stages`,
        'put the agent on each parallel stage or on the matrix');
    }
    if (fanOut && s.tools) {
      this.add(where, 'parallel-stage-tools', `"tools" is not allowed in stage ${show(s.name)} as it contains parallel or matrix stages`,
        'put the tools on each parallel stage or on the matrix');
    }
    if (fanOut && outer.withinParallel) {
      this.add(where, 'nested-parallel', `"matrix" or "parallel" in stage ${show(s.name)} is nested inside another "matrix" or "parallel"`,
        'flatten it: parallel and matrix may appear only once on a path');
    }
    const outerSecrets = this.secrets;
    this.secrets = directiveSecrets(s, outerSecrets, [...s.input?.parameters ?? []]);
    this.directives(where, s, 'stage');
    const scope: Scope = { containers: s.agent ? s.agent.containers : outer.containers, withinParallel: outer.withinParallel,
      hasNode: hasNode(s.agent, outer.hasNode) };
    if (s.steps) this.steps(`${where} > steps`, s.steps, scope);
    if (s.stages) {
      if (s.stages.length === 0) this.add(where, 'stages-required', 'stages is empty', 'add a stage');
      this.stageList(where, s.stages, scope);
    }
    if (s.parallel) this.stageList(`${where} > parallel`, s.parallel, { ...scope, withinParallel: true });
    if (s.matrix) this.matrix(`${where} > matrix`, s.matrix, { ...scope, withinParallel: true });
    this.post(where, s, scope);
    this.secrets = outerSecrets;
  }

  private matrix(where: string, m: MatrixAst, outer: Scope): void {
    if (m.axes.length === 0) this.add(where, 'matrix-axes-required', 'matrix has no axes', 'add at least one axis with values');
    const names = m.axes.map((a) => a.name);
    this.duplicates(where, 'axis', names);
    for (const a of m.axes) {
      if (!isIdentifier(a.name)) this.add(where, 'identifier', `axis name ${show(a.name)} is not a valid identifier`, ENV_FIX);
      if (a.values.length === 0) this.add(where, 'matrix-axis-values', `axis ${show(a.name)} has no values`, 'give the axis at least one value');
      const seen = new Set<string>();
      for (const v of a.values) {
        if (seen.has(v)) this.add(where, 'duplicate-axis-value', `axis ${show(a.name)} lists value ${show(v)} twice`, 'list each value once');
        seen.add(v);
      }
    }
    if (m.excludes) {
      if (m.excludes.length === 0) this.add(where, 'matrix-excludes-empty', 'excludes is empty', 'add an exclude, or leave excludes out');
      for (const ex of m.excludes) {
        if (ex.length === 0) this.add(where, 'matrix-excludes-empty', 'an exclude has no axes', 'give the exclude at least one axis condition');
        for (const a of ex) {
          if (!names.includes(a.name)) {
            this.add(where, 'matrix-exclude-axis', `exclude names axis ${show(a.name)}, which the matrix does not have`, `use one of ${show(names)}`);
          }
          if ((a.values === undefined) === (a.notValues === undefined) || (a.values ?? a.notValues ?? []).length === 0) {
            this.add(where, 'matrix-exclude-values', `exclude axis ${show(a.name)} must contain either "values" or "notValues"`,
              'give exactly one of values or notValues, with at least one value');
          }
        }
      }
    }
    const outerSecrets = this.secrets;
    this.secrets = directiveSecrets(m, outerSecrets, [...m.input?.parameters ?? []]);
    this.directives(where, m, 'matrix');
    const scope: Scope = { containers: m.agent ? m.agent.containers : outer.containers, withinParallel: true,
      hasNode: hasNode(m.agent, outer.hasNode) };
    if (m.stages.length === 0) this.add(where, 'stages-required', 'matrix has no stages', 'add a stage with Matrix.addStage()');
    this.stageList(where, m.stages, scope);
    this.post(where, m, scope);
    this.secrets = outerSecrets;
  }

  private post(where: string, d: DirectivesAst, scope: Scope): void {
    if (!d.post) return;
    if (d.post.length === 0) this.add(where, 'section-empty', 'post is empty', 'add steps to a condition, or leave post out');
    for (const c of d.post) this.steps(`${where} > post > ${c.condition}`, c.steps, scope);
  }

  /** Checks steps; `scripted` is true inside `script { }` and in Scripted files, where Declarative's step limits stop. */
  steps(where: string, steps: readonly Call[], scope: Scope, scripted = false): void {
    if (steps.length === 0) this.add(where, 'no-steps', 'no steps specified', 'add at least one step');
    for (const c of steps) {
      const w = `${where} > ${c.name}`;
      this.problems(w, c.problems);
      this.exprs(w, c.args.map((a) => a.value));
      if (!scripted && (c.scriptedOnly || BLOCKED_STEPS.has(c.name))) {
        this.add(w, 'step-blocked', `step ${show(c.name)} is not allowed in Declarative steps`, BLOCKED_FIX[c.name] ?? BLOCKED_FIX.default);
      }
      if (!scope.hasNode && NODE_STEPS.has(c.name)) {
        this.add(w, scope.scriptedFile ? 'scripted-needs-node' : 'agent-none-needs-node',
          scope.scriptedFile ? `step ${show(c.name)} needs a workspace, but it is not inside node or podTemplate`
            : `step ${show(c.name)} needs a node, but 'agent none' is in effect here`,
          scope.scriptedFile ? 'wrap it in Step.node(label, [...]) or Step.podTemplate(...)' : 'give this stage (or an enclosing stage or matrix) an agent');
      }
      if (c.name === 'container') {
        const nameArgValue = c.args.find((a) => a.key === undefined || a.key === 'name')?.value;
        const name = nameArgValue?.k === 'str' ? nameArgValue.v : undefined;
        if (name !== undefined && scope.containers && ![...scope.containers, 'jnlp'].includes(name)) {
          this.add(w, 'container-unknown', `container ${show(name)} is not in the agent pod ${show(scope.containers)}`,
            'use a container of the kubernetes agent, or add it');
        }
      }
      // A branch closure of a map built at run time runs where `parallel` is called, which may be inside a node.
      const inner: Scope = c.name === 'node' || c.name === 'podTemplate' || (c.scriptedOnly && c.name === 'branch')
        ? { ...scope, hasNode: true, containers: c.podContainers ?? scope.containers } : scope;
      const outerSecrets = this.secrets;
      if (c.binds?.length) this.secrets = new Set([...outerSecrets, ...c.binds]);
      if (c.block) this.steps(w, c.block, inner, scripted || c.scripted === true);
      this.secrets = outerSecrets;
      for (const [name, block] of c.branches ?? []) this.steps(`${w} > branch ${show(name)}`, block, inner, scripted);
      for (const k of c.catches ?? []) this.steps(`${w} > catch`, k.block, inner, scripted);
      if (c.finallyBlock) this.steps(`${w} > finally`, c.finallyBlock, inner, scripted);
      if (c.elseBlock) this.steps(`${w} > else`, c.elseBlock, inner, scripted);
    }
  }

  /** Checks values: numbers in range, GString references are identifiers and never secrets. */
  exprs(where: string, list: readonly Expr[]): void {
    for (const e of list) {
      if (e.k === 'num') {
        // Groovy reads a literal as int, long or BigDecimal: NaN and Infinity have no literal, and beyond 2^53 the
        // JavaScript number no longer holds the value the user meant.
        const [v] = finiteViolations('number', e.v, { min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER, rangeRule: 'number-range',
          fix: 'use a finite number within the safe integer range' });
        if (v) this.add(where, v.rule, v.message, v.fix);
      } else if (e.k === 'list') this.exprs(where, e.items);
      else if (e.k === 'map') this.exprs(where, e.entries.map(([, v]) => v));
      else if (e.k === 'call') {
        this.problems(where, e.call.problems);
        this.exprs(where, e.call.args.map((a) => a.value));
      } else if (e.k === 'text') this.text(where, e.text);
    }
  }

  private text(where: string, t: Text): void {
    for (const r of t.refs) {
      if (!isIdentifier(r.name)) {
        this.add(where, 'identifier', `reference ${show(r.name)} is not a valid identifier`, ENV_FIX);
        continue;
      }
      const secret = (r.owner === 'env' || r.owner === '') ? this.secrets.has(r.name) : r.owner === 'params' && this.secretParams.has(r.name);
      if (secret) {
        this.add(where, 'secret-in-gstring', `${show(r.toGroovy())} holds a secret and would be interpolated by Groovy`,
          'reference it as $VAR inside a single-quoted sh script instead of a Text reference');
      }
    }
  }
}

function nameArg(c: Call): string {
  const v = c.args.find((a) => a.key === 'name')?.value;
  return v?.k === 'str' ? v.v : '';
}

/** Every violation in the pipeline, in document order. @internal */
export function validatePipeline(p: PipelineAst): RuleViolation[] {
  const w = new Walker();
  if (p.prelude) prelude(w, p.prelude);
  w.pipeline(p);
  return w.out;
}

/** Every violation in a Scripted Jenkinsfile. @internal */
export function validateScripted(pre: PreludeAst, steps: readonly Call[]): RuleViolation[] {
  const w = new Walker();
  prelude(w, pre);
  for (const c of steps) {
    if (c.name === 'properties') {
      // Password parameters set by properties() are secrets wherever params.NAME is read.
      const list = c.args[0]?.value;
      for (const item of list?.k === 'list' ? list.items : []) {
        if (item.k !== 'call' || item.call.name !== 'parameters') continue;
        const ps = item.call.args[0]?.value;
        for (const x of ps?.k === 'list' ? ps.items : []) if (x.k === 'call' && x.call.name === 'password') w.secretParams.add(nameArg(x.call));
      }
    }
  }
  if (steps.length === 0) w.add('scripted', 'no-steps', 'the Scripted pipeline has no steps', 'add steps with addSteps(), e.g. Step.node(label, [...])');
  else w.steps('scripted', steps, { withinParallel: false, hasNode: false, scriptedFile: true }, true);
  return w.out;
}

/** Checks the hybrid prelude: its values, and helper function bodies as Scripted steps (they run in the caller's node). */
function prelude(w: Walker, p: PreludeAst): void {
  w.problems('prelude', p.problems);
  for (const v of p.variables) {
    w.problems(`prelude > def ${v.name}`, v.problems);
    w.exprs(`prelude > def ${v.name}`, [v.value]);
  }
  for (const f of p.functions) {
    w.problems(`prelude > def ${f.name}()`, f.problems);
    if (f.steps) w.steps(`prelude > def ${f.name}()`, f.steps, { withinParallel: false, hasNode: true }, true);
  }
}
