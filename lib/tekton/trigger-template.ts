/** The Triggers `TriggerTemplate` (triggers.tekton.dev/v1beta1): the runs an event creates. */
import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { assertProps, constructId, Names, RuleViolation, Violations, addRules, fail, show } from '../core';
import { Expression, scanRefs } from './expressions';
import { IEmbeddableRun, TRIGGER_TEMPLATE } from './run-common';
import { MetadataProps, checkMetadata, renderMetadata } from './metadata';
import { checkResourceName } from './task';
import { clean } from './values';

/** A trigger template param declaration. */
export interface TriggerParamProps {
  /**
   * What it holds.
   * @default none
   */
  readonly description?: string;
  /**
   * Value when no binding provides one.
   * @default none: a binding must provide it
   */
  readonly default?: string;
}

/** A trigger template param; renders to `$(tt.params.<name>)`. Its value comes from the webhook: untrusted. */
export class TriggerParam extends Expression {
  /** The `$(…)` text. */
  public readonly expression: string;

  /** @internal */
  constructor(
    /** The param name. */
    public readonly name: string,
    /** True when the param has a default. */
    public readonly hasDefault: boolean,
  ) {
    super();
    this.expression = `$(tt.params.${name})`;
  }
}

/** Props of {@link TriggerTemplate}. */
export interface TriggerTemplateProps extends MetadataProps {
  /**
   * `metadata.name`.
   * @default the construct id as a DNS-1123 label
   */
  readonly name?: string;
}

/**
 * A TriggerTemplate. Create `PipelineRun`s or `TaskRun`s with this template as their scope: they render into
 * `resourcetemplates` and may use `$(tt.params…)` in their params (never in scripts).
 */
export class TriggerTemplate extends Construct {
  /** The TriggerTemplate name. */
  public readonly name: string;
  private readonly params: TriggerParam[] = [];
  private readonly paramProps = new Map<string, TriggerParamProps>();
  private readonly paramNames = new Set<string>();
  private readonly runs: IEmbeddableRun[] = [];

  constructor(scope: Construct, id: string, props: TriggerTemplateProps = {}) {
    super(scope, constructId(scope, id, 'trigger template', "new TriggerTemplate(chart, 'ci-run', { … })"));
    assertProps(this, props);
    Object.defineProperty(this, TRIGGER_TEMPLATE, { value: true });
    this.name = props.name ?? Names.toDnsLabel(id, 63, this);
    checkResourceName(this, this.name);
    checkMetadata(this, props);
    new ApiObject(this, 'Resource', {
      apiVersion: 'triggers.tekton.dev/v1beta1',
      kind: 'TriggerTemplate',
      metadata: { name: this.name, ...renderMetadata(props) },
      spec: Lazy.any({ produce: () => this.renderSpec() }),
    });
    addRules(this, () => this.validate());
  }

  /** Declares a param; returns its handle. */
  public addParam(name: string, props: TriggerParamProps = {}): TriggerParam {
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name)) {
      fail(this, 'param-name-format', `trigger template param name ${show(name)} is invalid`, 'use letters, digits, _, - and .');
    }
    if (this.paramNames.has(name)) {
      fail(this, 'trigger-template-param-unique', `trigger template param ${show(name)} is declared twice`, 'declare it once');
    }
    const p = new TriggerParam(name, props.default !== undefined);
    this.params.push(p);
    this.paramNames.add(name);
    this.paramProps.set(name, props);
    return p;
  }

  /** The declared params. */
  public get declaredParams(): TriggerParam[] {
    return [...this.params];
  }

  /** @internal Called by runs created in this template. */
  public registerRun(run: IEmbeddableRun): void {
    this.runs.push(run);
  }

  private renderSpec(): any {
    return clean({
      params: this.params.length ? this.params.map((p) => ({
        name: p.name, description: this.paramProps.get(p.name)?.description, default: this.paramProps.get(p.name)?.default,
      })) : undefined,
      resourcetemplates: this.runs.map((r) => r.toJson()),
    });
  }

  private validate(): RuleViolation[] {
    const v = new Violations();
    if (this.runs.length === 0) {
      v.add('trigger-template-resources-required', `trigger template ${show(this.name)} has no resourcetemplates`,
        'create a PipelineRun or TaskRun with this template as its scope');
    }
    const used = new Set<string>();
    const walk = (x: any): void => {
      if (typeof x === 'string') {
        for (const r of scanRefs(x)) if (r.prefix === 'tt' && r.parts[0] === 'params') used.add(r.parts[1]);
      } else if (Array.isArray(x)) x.forEach(walk);
      else if (x && typeof x === 'object') Object.values(x).forEach(walk);
    };
    for (const r of this.runs) walk(r.toJson());
    for (const name of [...used].sort()) {
      if (!this.paramNames.has(name)) {
        v.add('trigger-template-param-undeclared', `trigger template ${show(this.name)} uses undeclared param '$(tt.params.${name})'`,
          `declare it with addParam(${show(name)})`);
      }
    }
    return v.all;
  }
}
