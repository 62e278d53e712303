export * from './core';
export * from './pipeline';
export * as workloads from './workloads';
export * as jenkins from './jenkins';
export * as tekton from './tekton';
