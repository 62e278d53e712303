/**
 * References the imported files make to objects none of them holds (a Gateway Istio installed, a Service of
 * another team). The app-wide reference checks refuse those unless they are declared external, so `import`
 * writes one `delivery.ExternalObject` per distinct target and lists it; `check` never adds them, because there
 * a reference to nothing is a finding.
 */
import { Expr, Statement, arr, callApi, construct, data, lit, obj, ref } from './calls';
import { BuildFinding } from './program';
import { Plan } from './readers/plan';

/** One declaration `import` adds, with the line its summary prints. */
export interface ExternalDeclaration {
  /** The statement that declares it. */
  readonly statement: Statement;
  /** What is declared and who refers to it, for the summary. */
  readonly text: string;
}

const QUOTED = '("(?:[^"\\\\]|\\\\.)*")';

/** `Kind "name" is not in the app (kinds.group "name" not found)`: the message of every `reference-*` rule. */
const NOT_IN_APP = new RegExp(`(?:^|: )([A-Z][A-Za-z]*) ${QUOTED} is not in the app \\(([a-z0-9]+)(?:\\.([a-z0-9.-]+))? `);
const GATEWAY = new RegExp(`Referenced gateway not found: ${QUOTED}`);
const HOST = new RegExp(`Referenced host not found: ${QUOTED}`);
const SELECTS_NO_POD = new RegExp(`spec\\.(?:selector|podSelector) (\\{.*\\}): [A-Za-z]+ ${QUOTED} selects no pod of the app in namespace ${QUOTED}`);
const GATEWAY_PODS = new RegExp(`Referenced selector not found: ${QUOTED}`);
const WORKLOADS = /following labels: (\S+) \(IST0127\)/;

function labelsOf(pairs: string): Record<string, string> {
  return Object.fromEntries(pairs.split(',').map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
}

/** What a reference finding asks to be declared, as the API call and a key that merges repeats. */
function declarationFor(f: BuildFinding, namespace: string | undefined): { key: string; call: (id: string) => Expr; what: string } | undefined {
  const ns = namespace !== undefined ? [lit(namespace)] : [];
  let m: RegExpExecArray | null;
  if ((m = GATEWAY.exec(f.message)) && f.rule === 'istio-gateway-not-found') {
    // `name` alone means the VirtualService's own namespace, which gateway() would read as the chart's
    const r: string = JSON.parse(m[1]);
    const reference = r.includes('/') || namespace === undefined ? r : `${namespace}/${r}`;
    return { key: `gateway|${reference}`, what: `Gateway ${reference}`, call: (id) => callApi('delivery.ExternalObject.gateway', ref('scope'), lit(id), lit(reference)) };
  }
  if ((m = HOST.exec(f.message)) && f.rule === 'istio-host-not-found') {
    const host: string = JSON.parse(m[1]);
    return { key: `host|${host}`, what: `mesh host ${host}`, call: (id) => callApi('delivery.ExternalObject.hosts', ref('scope'), lit(id), arr([lit(host)])) };
  }
  if ((m = SELECTS_NO_POD.exec(f.message)) && f.rule === 'selector-matches-pods') {
    const sel = JSON.parse(m[1]);
    const labels: Record<string, string> = sel.matchLabels ?? sel;
    const podNs: string = JSON.parse(m[3]);
    return { key: `pods|${podNs}|${JSON.stringify(labels)}`, what: `pods ${JSON.stringify(labels)} in namespace ${podNs}`,
      call: (id) => callApi('delivery.ExternalObject.pods', ref('scope'), lit(id), data(labels), lit(podNs)) };
  }
  if ((m = GATEWAY_PODS.exec(f.message)) && f.rule === 'istio-gateway-selector') {
    const labels = labelsOf(JSON.parse(m[1]));
    return { key: `pods|*|${JSON.stringify(labels)}`, what: `gateway pods ${JSON.stringify(labels)}`,
      call: (id) => callApi('delivery.ExternalObject.pods', ref('scope'), lit(id), data(labels)) };
  }
  if ((m = WORKLOADS.exec(f.message)) && f.rule === 'istio-no-matching-workloads') {
    const labels = labelsOf(m[1]);
    return { key: `pods|${namespace ?? ''}|${JSON.stringify(labels)}`, what: `pods ${JSON.stringify(labels)}`,
      call: (id) => callApi('delivery.ExternalObject.pods', ref('scope'), lit(id), data(labels), ...ns) };
  }
  if ((m = NOT_IN_APP.exec(f.message)) && f.rule.startsWith('reference-')) {
    const kind = m[1];
    const name: string = JSON.parse(m[2]);
    const group = m[4] ?? '';
    const cluster = kind === 'ClusterAnalysisTemplate';
    return { key: `${group}|${kind}|${cluster ? '' : namespace ?? ''}|${name}`, what: `${kind} ${name}`,
      call: (id) => construct('delivery.ExternalObject', ref('scope'), lit(id), obj({
        group: lit(group), kind: lit(kind), name: lit(name), namespace: cluster ? lit('') : ns[0],
      })) };
  }
  return undefined;
}

/**
 * The ExternalObject declarations that make the program's references resolve: one per distinct target the
 * findings of `built` name, in the order first referenced.
 */
export function externalDeclarations(plan: Plan, findings: readonly BuildFinding[]): ExternalDeclaration[] {
  const out: ExternalDeclaration[] = [];
  const seen = new Set<string>();
  for (const f of findings) {
    if (f.phase !== 'validate') continue;
    const origin = plan.statements[f.statement]?.origin;
    const doc = origin ? plan.documents[origin.doc] : undefined;
    const namespace: string | undefined = doc?.value?.metadata?.namespace;
    const d = declarationFor(f, namespace);
    if (!d || seen.has(d.key)) continue;
    seen.add(d.key);
    const id = plan.constructId(`external-${d.what.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase()}`, 'external');
    out.push({
      statement: { expr: d.call(id), origin: origin ?? { doc: 0, path: [] } },
      text: `${d.what}, referred to by ${doc ? `${doc.label} (${doc.file})` : 'the imported objects'}, is in none of the files: declared with delivery.ExternalObject`,
    });
  }
  return out;
}
