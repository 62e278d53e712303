export * from './core';
export * as workloads from './workloads';
