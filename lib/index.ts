export * from './core';
export * from './pipeline';
export * as workloads from './workloads';
export * as jenkins from './jenkins';
export * as tekton from './tekton';
export * as rollouts from './delivery/rollouts';
export * as mesh from './delivery/mesh';
export * as serverless from './delivery/serverless';
export * as delivery from './delivery';
