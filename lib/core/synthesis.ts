import { ApiObject, App } from 'cdk8s';
import { Node } from 'constructs';

/*
 * One synthesis: `App.synth()`, `App.synthYaml()` or `Chart.toJson()` (which `Testing.synth()` uses). cdk8s validates
 * the whole app once in `App.synth()` and again in every `chart.toJson()` it makes, so an app of ten charts runs
 * every rule eleven times. Nothing in the app changes between those passes (no user code runs), so inside one synthesis
 * each construct is validated once and its result reused, and the documents the rules render are kept for the render
 * that writes them. Outside a synthesis (a test calling `node.validate()` and then changing the app) nothing is kept.
 */

interface Synthesis {
  readonly validations: WeakMap<Node, string[]>;
  readonly documents: WeakMap<ApiObject, any>;
  readonly memos: Map<symbol, WeakMap<object, unknown>>;
}

let current: Synthesis | undefined;
const INSTALLED = Symbol.for('slipway.synthesis');

/** The documents rendered in the current synthesis (read by rules, then written), or undefined outside one. */
export function synthesisDocuments(): WeakMap<ApiObject, any> | undefined {
  return current?.documents;
}

/**
 * What `make()` returns for `key`, made once per synthesis and shared by the rules of all its charts (an index of the
 * whole app); outside a synthesis it is made afresh on every call, since the app may change between calls.
 */
export function perSynthesis<T>(kind: symbol, key: object, make: () => T): T {
  if (!current) return make();
  let memo = current.memos.get(kind);
  if (!memo) current.memos.set(kind, (memo = new WeakMap()));
  if (memo.has(key)) return memo.get(key) as T;
  const value = make();
  memo.set(key, value);
  return value;
}

/** Wraps cdk8s' synthesis entry points and construct validation, once per copy of cdk8s and constructs. */
export function installSynthesisScope(): void {
  const app = App as any;
  if (app[INSTALLED]) return;
  Object.defineProperty(app, INSTALLED, { value: true });
  scoped(App.prototype, 'synth');
  scoped(App.prototype, 'synthYaml');
  scoped(app, '_synthChart');
  const validate: () => string[] = Node.prototype.validate;
  Object.defineProperty(Node.prototype, 'validate', {
    configurable: true,
    writable: true,
    value: function validateOnce(this: Node): string[] {
      if (!current) return validate.call(this);
      let result = current.validations.get(this);
      if (!result) {
        result = validate.call(this);
        current.validations.set(this, result);
      }
      return [...result];
    },
  });
}

/**
 * Runs `run` as one synthesis (a nested call joins the outer one): for slipway's own passes that validate a whole
 * tree without cdk8s' entry points (`synthFiles()`, `slipway check`).
 */
export function withinSynthesis<T>(run: () => T): T {
  if (current) return run();
  current = { validations: new WeakMap(), documents: new WeakMap(), memos: new Map() };
  try {
    return run();
  } finally {
    current = undefined;
  }
}

/** Runs `owner[method]` inside a synthesis. */
function scoped(owner: Record<string, any>, method: string): void {
  const run: (...args: unknown[]) => unknown = owner[method];
  if (typeof run !== 'function') return; // an older cdk8s without it
  Object.defineProperty(owner, method, {
    configurable: true,
    writable: true,
    value: function synthesis(this: unknown, ...args: unknown[]): unknown {
      return withinSynthesis(() => run.apply(this, args));
    },
  });
}
