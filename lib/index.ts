// Core, without the helpers the layers share among themselves (fail, show, duration renderers, …).
export { CommentStyle, CommittedFiles, Duration, FinalDocument, GENERATED_HEADER, GeneratedFile, Names, PipelineApp, SlipwayError,
  Violations, addRules, checkCommittedFiles, formatViolation, synthFiles, writeFiles } from './core';
export type { GeneratedFileProps, PipelineAppProps, RuleViolation } from './core';
export * from './pipeline';
export * as workloads from './workloads';
export * as jenkins from './jenkins';
export * as tekton from './tekton';
export * as rollouts from './delivery/rollouts';
export * as mesh from './delivery/mesh';
export * as serverless from './delivery/serverless';
export * as delivery from './delivery';
export * as jenkinsfile from './cli/jenkinsfile';
export * as cli from './cli';
