import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import { IConstruct, Node } from 'constructs';
import { RULES_HOOK, SlipwayError, WARNING_METADATA, ruleMessages, warn } from './errors';
import { synthesisDocuments } from './synthesis';

/*
 * The strict check of every final document slipway writes. It runs where cdk8s renders an object (`toJson()`, called
 * by `App.synth()`, `Chart.toJson()` and `Testing.synth()` after the app's validations), so it reads exactly the JSON
 * that is written: after Lazy values, transforms, FinalDocument overrides and escape-hatch patches. Documents of
 * objects that no slipway construct created (a user's raw `ApiObject` or cdk8s-plus construct) are left alone.
 */

/** etcd's default request size limit (`--max-request-bytes`), which bounds one stored object. */
export const ETCD_OBJECT_LIMIT = 1.5 * 1024 * 1024;

const INSTALLED = Symbol.for('slipway.strictCheck');
let validating = 0;
/** Set by `FinalDocument.enable` (holding the object's own render): its override checks the document itself. @internal */
export const FINAL_DOCUMENT = Symbol.for('slipway.FinalDocument');

/** A document's problems as `slipway/testing` reports them; loaded on the first check (the validators are large). */
type Checker = (doc: any, size: { chars: number }) => Array<{ path: string; message: string }>;
let checker: Checker | undefined;

/**
 * Wraps cdk8s' `ApiObject.prototype.toJson` once per copy of cdk8s, so every object's final document is checked.
 * Objects whose patches apply to the final document (`FinalDocument.enable`) are checked by that override instead.
 */
export function installStrictCheck(): void {
  const proto = ApiObject.prototype as any;
  if (proto[INSTALLED]) return;
  // Rules that read a document during validation report their own, more precise violation; the check runs on the
  // render that writes the document, after validation.
  const validate: () => string[] = Node.prototype.validate;
  Object.defineProperty(Node.prototype, 'validate', {
    configurable: true,
    writable: true,
    value: function nodeValidate(this: Node): string[] {
      validating++;
      try {
        // slipway's own checks of the construct (errors.ts addRules), then the construct validations.
        const own = ruleMessages((this as any).host);
        const rest = validate.call(this);
        return own === undefined ? rest : rest.length === 0 ? own : [...own, ...rest];
      } finally {
        validating--;
      }
    },
  });
  Object.defineProperty(Node.prototype, RULES_HOOK, { value: true });
  const render: () => any = proto.toJson;
  Object.defineProperty(proto, INSTALLED, { value: render });
  Object.defineProperty(proto, 'toJson', {
    configurable: true,
    writable: true,
    value: function toJson(this: ApiObject): any {
      // Enabled objects render through FinalDocument, which keeps their documents itself.
      if ((this as any)[FINAL_DOCUMENT]) return render.call(this);
      // A document the rules already rendered in this synthesis is written as it is.
      const documents = validating > 0 ? undefined : synthesisDocuments();
      let doc = documents?.get(this);
      if (doc !== undefined) documents!.delete(this);
      else doc = render.call(this);
      checkFinalDocument(this, doc);
      return doc;
    },
  });
}

/** The check of a document an object's own `toJson()` override rendered, unless a FinalDocument override checks it. @internal */
export function checkRenderedDocument(obj: ApiObject, doc: any): void {
  if (!(obj as any)[FINAL_DOCUMENT]) checkFinalDocument(obj, doc);
}

/**
 * Checks the final document of `obj` if a slipway construct created it: against its vendored schema made strict
 * (custom resources) or the vendored field shapes of core kinds (types, formats, enums, required and unknown fields,
 * read from kubernetes-models' validators), as `slipway/testing` does.
 * Throws rule `schema-strict` naming the owning construct, the document and each JSON path; warns (rule
 * `document-size`) when the document nears etcd's object limit.
 */
export function checkFinalDocument(obj: ApiObject, doc: any): void {
  if (validating > 0 || process.env.SLIPWAY_STRICT_CHECK === '0' || !ownedBySlipway(obj)) return;
  const size = { chars: 0 };
  const problems = (checker ??= loadChecker())(doc, size);
  const owner = ownerOf(obj);
  if (problems.length > 0) {
    const listed = problems.map((p) => `${p.path} ${p.message}`).join('; ');
    throw new SlipwayError(owner.node.path, {
      rule: 'schema-strict',
      message: `the final ${doc?.kind} document ${JSON.stringify(doc?.metadata?.name ?? '')} does not pass its schema: ${listed}`,
      fix: 'set the field through the typed API of the construct, or remove the JsonPatch (ApiObject.of(x).addJsonPatch) or FinalDocument override that writes it',
    });
  }
  // The walk of a core document bounds its size from above (six bytes per character at most); measure the rest.
  if (size.chars === 0 || size.chars * 6 * 2 >= ETCD_OBJECT_LIMIT * 0.9) sizeWarning(owner, doc);
}

function loadChecker(): Checker {
  /* eslint-disable @typescript-eslint/no-require-imports */
  // lib/testing holds the validators and imports core, so it is loaded here, at synth, not when core loads.
  return require('../testing/validate').strictDocumentProblems as Checker;
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/**
 * kubectl's client-side apply stores the whole document again in the `kubectl.kubernetes.io/last-applied-configuration`
 * annotation, so the stored object is about twice the document.
 */
function sizeWarning(owner: IConstruct, doc: any): void {
  const bytes = Buffer.byteLength(JSON.stringify(doc));
  if (bytes * 2 < ETCD_OBJECT_LIMIT * 0.9) return;
  const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
  const message = bytes >= ETCD_OBJECT_LIMIT * 0.9
    ? `the ${doc?.kind} document ${JSON.stringify(doc?.metadata?.name ?? '')} is ${kib(bytes)}, within 10% of etcd's 1.5 MiB object limit (rule: document-size). fix: split it (e.g. a Tekton Pipeline into pipelines run by a parent, or tasks referenced by taskRef instead of embedded taskSpec)`
    : `the ${doc?.kind} document ${JSON.stringify(doc?.metadata?.name ?? '')} is ${kib(bytes)}: kubectl's client-side apply stores it again in the last-applied-configuration annotation (about ${kib(bytes * 2)}), within 10% of etcd's 1.5 MiB object limit (rule: document-size). fix: apply it with 'kubectl apply --server-side', or split it`;
  if (!owner.node.metadata.some((m) => m.type === WARNING_METADATA && m.data === message)) warn(owner, message);
}

/** The construct users know for an object: the L2 that holds it as `Resource` or `Default`, else the object. */
function ownerOf(obj: ApiObject): IConstruct {
  return (obj.node.id === 'Resource' || obj.node.id === 'Default') && obj.node.scope ? obj.node.scope : obj;
}

const owned = new WeakMap<IConstruct, boolean>();
const slipwayPrototype = new Map<object, boolean>();

/** True if the object, or a construct above it in its chart, is an instance of a class slipway exports. */
export function ownedBySlipway(obj: ApiObject): boolean {
  const path: IConstruct[] = [];
  let result = false;
  for (let c: IConstruct | undefined = obj; c && !Chart.isChart(c); c = c.node.scope) {
    const known = owned.get(c);
    if (known !== undefined) {
      result = known;
      break;
    }
    path.push(c);
    if (isSlipwayInstance(c)) {
      result = true;
      break;
    }
  }
  for (const c of path) owned.set(c, result);
  return result;
}

function isSlipwayInstance(c: IConstruct): boolean {
  const first = Object.getPrototypeOf(c);
  const known = slipwayPrototype.get(first);
  if (known !== undefined) return known;
  // A class's module is loaded before any instance exists, so one refresh of the class list decides for good.
  const result = inheritsSlipwayClass(first) || (refreshClasses() && inheritsSlipwayClass(first));
  slipwayPrototype.set(first, result);
  return result;
}

function inheritsSlipwayClass(proto: object | null): boolean {
  for (let p = proto; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) if (classes.has(p)) return true;
  return false;
}

/** The folder of slipway's modules (lib/, or build/lib/ in the package). */
const LIB = `${path.resolve(__dirname, '..')}${path.sep}`;
const classes = new Set<object>();
const modulesRead = new Set<string>();

/**
 * Adds the prototype of every class exported by a slipway module loaded since the last call (cdk8s' own base
 * classes excepted); false when no new slipway module was loaded.
 */
function refreshClasses(): boolean {
  let added = false;
  for (const file of Object.keys(require.cache)) {
    if (!file.startsWith(LIB) || modulesRead.has(file)) continue;
    const exported = require.cache[file]?.exports;
    if (!exported || typeof exported !== 'object' || Object.keys(exported).length === 0) continue; // still loading
    modulesRead.add(file);
    added = true;
    for (const key of Object.keys(exported)) {
      const value = exported[key];
      if (typeof value === 'function' && value.prototype && value.prototype !== ApiObject.prototype && value.prototype !== Chart.prototype) {
        classes.add(value.prototype);
      }
    }
  }
  return added;
}
