export * from './core';
export * from './pipeline';
export * as workloads from './workloads';
