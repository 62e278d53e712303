import { fail, Names, show } from '../core';
import { RESERVED_ENV } from './param';
import { checkValue } from './refusals';

/** Props of {@link Matrix.of}. */
export interface MatrixProps {
  /** Axis name (an identifier; the cell sees it as an env var) → its values. Keys keep their order. */
  readonly axes: Record<string, string[]>;
  /**
   * Cells to leave out, each a partial assignment of axis values, e.g. `[{ NODE: '18', OS: 'windows' }]`.
   * @default - every combination runs
   */
  readonly excludes?: Array<Record<string, string>>;
}

/** Most cells a matrix may have: Tekton's default `default-max-matrix-combinations-count`. */
export const MAX_MATRIX_CELLS = 256;

/**
 * Runs a stage's steps once per combination of axis values, in parallel (Jenkins `matrix`, Tekton PipelineTask
 * `matrix`). Each cell sees its axis values as env vars.
 */
export class Matrix {
  /** A matrix over `axes`, minus `excludes`. */
  public static of(props: MatrixProps): Matrix {
    return new Matrix(props);
  }

  /** The axes, in order. */
  public readonly axes: Array<{ name: string; values: string[] }>;
  /** The excluded partial cells. */
  public readonly excludes: Array<Record<string, string>>;

  private constructor(props: MatrixProps) {
    this.axes = Object.entries(props.axes).map(([name, values]) => ({ name, values: [...values] }));
    this.excludes = (props.excludes ?? []).map((e) => ({ ...e }));
    checkValue(this, () => this.check());
  }

  private check(): void {
    if (this.axes.length === 0) fail(undefined, 'matrix-axes', 'a matrix has no axes', 'add at least one axis: { NODE: [\'18\', \'20\'] }');
    for (const a of this.axes) {
      Names.assertIdentifier(undefined, 'matrix axis name', a.name);
      if (RESERVED_ENV.has(a.name)) fail(undefined, 'matrix-axis-reserved', `matrix axis ${show(a.name)} is set by the CI engine`, 'choose another name');
      if (a.values.length === 0) fail(undefined, 'matrix-axis-values', `matrix axis ${show(a.name)} has no values`, 'list at least one value');
      if (new Set(a.values).size !== a.values.length) {
        fail(undefined, 'matrix-axis-values', `matrix axis ${show(a.name)} repeats a value in ${show(a.values)}`, 'list each value once');
      }
      for (const v of a.values) {
        if (v.length === 0 || /[\r\n]/.test(v)) fail(undefined, 'matrix-axis-values', `matrix axis ${show(a.name)} value ${show(v)} is empty or spans lines`, 'use one-line values');
      }
    }
    for (const e of this.excludes) {
      if (Object.keys(e).length === 0) fail(undefined, 'matrix-exclude', 'a matrix exclude is empty (it would drop every cell)', 'name at least one axis value');
      for (const [k, v] of Object.entries(e)) {
        const axis = this.axes.find((a) => a.name === k);
        if (!axis) fail(undefined, 'matrix-exclude', `matrix exclude names unknown axis ${show(k)}`, `use one of ${show(this.axes.map((a) => a.name))}`);
        if (!axis.values.includes(v)) fail(undefined, 'matrix-exclude', `matrix exclude value ${show(v)} is not a value of axis ${show(k)}`, `use one of ${show(axis.values)}`);
      }
    }
    const cells = this.cells();
    if (cells.length === 0) fail(undefined, 'matrix-cells', 'the matrix excludes every cell', 'exclude fewer cells');
    if (this.axes.reduce((n, a) => n * a.values.length, 1) > MAX_MATRIX_CELLS) {
      fail(undefined, 'matrix-cells', `the matrix has more than ${MAX_MATRIX_CELLS} combinations`,
        "split it: Tekton's default limit is 256 and Jenkins duplicates the stage per cell (\"Method too large\")");
    }
  }

  /** Every cell that runs, in axis order (first axis slowest). */
  public cells(): Array<Record<string, string>> {
    let out: Array<Record<string, string>> = [{}];
    for (const a of this.axes) out = out.flatMap((c) => a.values.map((v) => ({ ...c, [a.name]: v })));
    return out.filter((c) => !this.excludes.some((e) => Object.entries(e).every(([k, v]) => c[k] === v)));
  }
}
