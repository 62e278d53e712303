/** The Tekton `CustomRun` (tekton.dev/v1beta1): one run of a custom task, executed by that task's controller. */
import { Construct } from 'constructs';
import { assertProps, constructId, assertValue, integerViolations, Duration, fail, goDuration, show } from '../core';
import { RunProps, runMetadata, runValueViolations, startRun } from './run-common';
import { clean, nonEmpty, renderParams } from './values';

/** Props of {@link CustomRun}. Give `name` (a custom task object) or `spec` (an embedded one). */
export interface CustomRunProps extends RunProps {
  /** The custom task's API version, in group/version form (`example.dev/v1alpha1`). */
  readonly apiVersion: string;
  /** The custom task's kind. */
  readonly kind: string;
  /**
   * An existing custom task object to run (`customRef.name`).
   * @default none: set spec, or run the kind without an object
   */
  readonly customTaskName?: string;
  /**
   * An embedded custom task spec (`customSpec.spec`), as the controller defines it.
   * @default none
   */
  readonly spec?: Record<string, unknown>;
  /**
   * Timeout.
   * @default the controller's
   */
  readonly timeout?: Duration;
  /**
   * The `generateName` prefix.
   * @default '<kind in lowercase>-run-'
   */
  readonly generateName?: string;
}

/** A run of a custom task; inside a `TriggerTemplate` it renders into the template. */
export class CustomRun extends Construct {
  /** True when rendered into a TriggerTemplate. */
  public readonly embedded: boolean;
  private readonly props: CustomRunProps;

  constructor(scope: Construct, id: string, props: CustomRunProps) {
    super(scope, constructId(scope, id, 'custom run', "new CustomRun(chart, 'wait', { … })"));
    assertProps(this, props);
    this.props = props;
    if (!/^[a-z0-9.-]+\/[a-z0-9]+$/.test(props.apiVersion ?? '') || !props.kind) {
      fail(this, 'custom-task-ref', `custom run apiVersion ${show(props.apiVersion)} / kind ${show(props.kind)} is incomplete`,
        "use apiVersion in group/version form (e.g. 'example.dev/v1') and a kind");
    }
    if (props.customTaskName !== undefined && props.spec !== undefined) {
      fail(this, 'run-ref-or-spec', 'custom run sets both customTaskName and spec', 'reference an object by name, or embed a spec, not both');
    }
    if (props.retries !== undefined) {
      assertValue(this, integerViolations('retries', props.retries, { min: 0, rangeRule: 'task-run-retries', fix: 'set retries to a whole number ≥ 0' }));
    }
    assertValue(this, runValueViolations('', props.serviceAccountName, undefined));
    this.embedded = startRun(this, scope, props, { apiVersion: 'tekton.dev/v1beta1', kind: 'CustomRun', generateName: this.prefix, spec: () => this.renderSpec() });
  }

  private get prefix(): string {
    return this.props.generateName ?? `${this.props.kind.toLowerCase().slice(0, 40)}-run-`;
  }

  /** The whole document (used when embedded in a TriggerTemplate). */
  public toJson(): any {
    return clean({
      apiVersion: 'tekton.dev/v1beta1',
      kind: 'CustomRun',
      metadata: runMetadata(this.props, this.prefix),
      spec: this.renderSpec(),
    });
  }

  private renderSpec(): any {
    const p = this.props;
    return clean({
      customRef: p.spec === undefined ? { apiVersion: p.apiVersion, kind: p.kind, name: p.customTaskName } : undefined,
      customSpec: p.spec !== undefined ? { apiVersion: p.apiVersion, kind: p.kind, spec: JSON.parse(JSON.stringify(p.spec)) } : undefined,
      params: renderParams(p.params),
      workspaces: nonEmpty(Object.entries(p.workspaces ?? {}).map(([name, b]) => b.toJson(name))),
      serviceAccountName: p.serviceAccountName,
      timeout: goDuration(p.timeout),
      retries: p.retries,
    });
  }
}
