// The public API of the Tekton layer. Helpers shared between its modules (renderers, checks) stay internal.
export {
  ApiFields, EnvFrom, EnvValue, ImagePullPolicy, OnError, ParamType, ParamValue, SECURE_SECURITY_CONTEXT, Volume,
} from './values';
export type { ComputeResources, SecurityContext, VolumeMount } from './values';
export { Context, Expression, Param, ResultRef, TaskResult, Workspace, isWholeRef, scanRefs } from './expressions';
export type { VariableRef } from './expressions';
export * from './resolver';
export type { DeclaredParam, ParamProps } from './params';
export { Step, StepActionRef } from './step';
export type { ContainerProps, SidecarProps, StepActionInterface, StepProps, StepResultProps, StepWorkspace } from './step';
export * from './task-ref';
export { Task } from './task';
export type { ResultProps, StepTemplateProps, TaskProps, WorkspaceProps } from './task';
export * from './step-action';
export * from './when';
export * from './pipeline-task';
export * from './pipeline';
export * from './workspace-binding';
export type { PodSecurityContext, PodTemplate, RunnableInterface } from './run-common';
export { PipelineRef, PipelineRun } from './pipeline-run';
export type { PipelineRunProps, PipelineRunTimeouts, TaskRunSpec } from './pipeline-run';
export * from './task-run';
export * from './trigger-template';
export * from './trigger-binding';
export * from './event-listener';
export * from './catalog';
export * from './interceptor';
export * from './custom-interceptor';
export { Trigger, TriggerBindingRef } from './trigger';
export type { TriggerProps, TriggerSpecProps } from './trigger';
export type { MetadataProps } from './metadata';
export * from './probe';
export type { FeatureFlags } from './values';
export * from './custom-run';
