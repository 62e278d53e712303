/** The Tekton `StepAction` (tekton.dev/v1beta1): a reusable step that Tasks reference with `StepActionRef`. */
import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { assertProps, constructId, Names, RuleViolation, Violations, addRules, assertValue, fail, show } from '../core';
import { Param, scanRefs } from './expressions';
import { ParamDecl, ParamProps, RefPlacement, checkParamRef, declareParam, renderParamSpecs } from './params';
import { MetadataProps, checkMetadata, renderMetadata } from './metadata';
import { containerSecurityContext, mergeSecurityContext } from './security-context';
import { StepActionRef, StepResultProps, checkInjection, containerStrings, containerValueViolations, renderContainer, renderProperties } from './step';
import { checkResourceName } from './task';
import { ApiFields, EnvValue, ParamType, SECURE_SECURITY_CONTEXT, SecurityContext, VolumeMount, clean, nonEmpty } from './values';

/** Props of {@link StepAction}. */
export interface StepActionProps extends MetadataProps {
  /** The image (required). */
  readonly image: string;
  /**
   * A script; Tekton rejects any `$(params…)` in it, so read params from `env`.
   * @default none
   */
  readonly script?: string;
  /**
   * Entrypoint (not with script).
   * @default the image's
   */
  readonly command?: string[];
  /**
   * Arguments.
   * @default none
   */
  readonly args?: string[];
  /**
   * Working directory.
   * @default the image's
   */
  readonly workingDir?: string;
  /**
   * Environment.
   * @default none
   */
  readonly env?: Record<string, EnvValue>;
  /**
   * Security context.
   * @default the restricted profile (non-root, no privilege escalation, drop ALL, seccomp RuntimeDefault)
   */
  readonly securityContext?: SecurityContext;
  /**
   * Volume mounts.
   * @default none
   */
  readonly volumeMounts?: VolumeMount[];
  /**
   * `metadata.name`.
   * @default the construct id as a DNS-1123 label
   */
  readonly name?: string;
  /**
   * Description.
   * @default none
   */
  readonly description?: string;
  /**
   * Allow `$(params…)` and other injectable references in the code argument of `sh -c`, `python -c`, … in
   * command/args (Tekton itself refuses them in `script`).
   * @default false
   */
  readonly allowUnsafeScriptSubstitution?: boolean;
  /**
   * Allow `securityContext.privileged: true` (writes `allowPrivilegeEscalation: true` too, so a Task's step
   * template cannot merge `false` under it).
   * @default false
   */
  readonly allowPrivileged?: boolean;
  /**
   * Let the step run as root (writes `runAsNonRoot: false` and `runAsUser: 0`).
   * @default false
   */
  readonly allowRoot?: boolean;
}

/** A reusable step. Steps run it with `ref: stepAction.ref`. */
export class StepAction extends Construct {
  /** The StepAction name. */
  public readonly name: string;
  private readonly props: StepActionProps;
  private readonly params: ParamDecl[] = [];
  private readonly results: Array<{ name: string; props: StepResultProps }> = [];
  private readonly resultNames = new Set<string>();
  private readonly securityContext: SecurityContext;

  constructor(scope: Construct, id: string, props: StepActionProps) {
    super(scope, constructId(scope, id, 'step action', "new StepAction(chart, 'git-clone', { … })"));
    assertProps(this, props);
    this.props = props;
    this.name = props.name ?? Names.toDnsLabel(id, 63, this);
    checkResourceName(this, this.name);
    checkMetadata(this, props);
    if (!props.image) fail(this, 'step-image-required', `step action ${show(this.name)} has no image`, 'set image');
    assertValue(this, containerValueViolations(`step action ${show(this.name)}`, props));
    if (props.script !== undefined && props.command !== undefined) {
      fail(this, 'step-script-command-exclusive', `step action ${show(this.name)} sets both script and command`, 'use one of them');
    }
    const inScript = scanRefs(props.script ?? '').filter((r) => r.prefix === 'params');
    if (inScript.length > 0) {
      fail(this, 'script-param-substitution', `step action ${show(this.name)} uses ${inScript.map((r) => r.text).join(', ')} in its script: param substitution in scripts is not allowed`,
        'pass params through env and read "$VAR" in the script');
    }
    if (!props.allowUnsafeScriptSubstitution) checkInjection(this, `step action ${show(this.name)}`, props, 'step action');
    // The referencing Task's step template merges under this context: write the restricted profile in full,
    // plus whatever the opt-outs relax.
    const own = containerSecurityContext(this, 'step action', this.name, props.securityContext, SECURE_SECURITY_CONTEXT, props);
    this.securityContext = mergeSecurityContext(SECURE_SECURITY_CONTEXT, own);
    new ApiObject(this, 'Resource', {
      apiVersion: 'tekton.dev/v1beta1',
      kind: 'StepAction',
      metadata: { name: this.name, ...renderMetadata(props) },
      spec: Lazy.any({ produce: () => this.renderSpec() }),
    });
    addRules(this, () => this.validate());
  }

  /** Declares a param; returns its handle. */
  public addParam(name: string, props: ParamProps = {}): Param {
    const decl = declareParam(this, this.params, name, props, ApiFields.BETA);
    return new Param(name, decl.type, decl.keys);
  }

  /** Declares a result; the script writes it to `$(step.results.<name>.path)` (returned). */
  public addResult(name: string, props: StepResultProps = {}): string {
    if (this.resultNames.has(name)) {
      fail(this, 'result-name-unique', `result ${show(name)} is declared twice`, 'give each result its own name');
    }
    const type = props.type ?? (props.properties ? ParamType.OBJECT : undefined);
    if (type === ParamType.OBJECT && !props.properties?.length) {
      fail(this, 'result-object-properties', `object result ${show(name)} declares no properties`, 'list its keys in properties');
    }
    if (type !== ParamType.OBJECT && props.properties) {
      fail(this, 'result-object-properties', `result ${show(name)} is ${type} but declares properties`, 'only object results take properties');
    }
    this.results.push({ name, props: { ...props, type } });
    this.resultNames.add(name);
    return `$(step.results.${name}.path)`;
  }

  /** A reference for steps, carrying the params so missing ones are caught. */
  public get ref(): StepActionRef {
    return StepActionRef.lazy(this.name, () => ({ params: this.params.map((p) => ({ name: p.name, hasDefault: p.hasDefault })) }));
  }

  private renderSpec(): any {
    const p = this.props;
    const c = renderContainer(p, this.securityContext);
    return clean({
      description: p.description,
      params: renderParamSpecs(this.params),
      results: nonEmpty(this.results.map((r) => ({
        name: r.name, type: r.props.type, description: r.props.description, properties: renderProperties(r.props.properties),
      }))),
      image: c.image,
      command: c.command,
      args: c.args,
      script: p.script,
      workingDir: c.workingDir,
      env: c.env,
      securityContext: c.securityContext,
      volumeMounts: c.volumeMounts,
    });
  }

  private validate(): RuleViolation[] {
    const v = new Violations();
    for (const { field, text } of containerStrings(this.props)) {
      for (const ref of scanRefs(text)) {
        const where = `step action field ${field}`;
        if (ref.prefix === 'params') {
          checkParamRef(v, where, ref, text, this.params,
            field === 'command' || field === 'args' ? RefPlacement.ISOLATED_LIST : RefPlacement.STRING);
        } else if (ref.prefix === 'step' && !this.resultNames.has(ref.parts[1])) {
          v.add('result-undeclared', `${where} uses ${ref.text}, but the step action declares no result ${show(ref.parts[1])}`,
            `declare it with addResult(${show(ref.parts[1])})`);
        }
      }
    }
    return v.all;
  }
}
