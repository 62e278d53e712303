// The wiring of a workload to progressive delivery. The backends are exported from the package root as the
// `rollouts`, `mesh` and `serverless` namespaces.
export * from './analysis';
export { PodSource } from './workload';
export * from './canary-delivery';
export * from './blue-green-delivery';
export * from './delivery';
export { ExternalObject, AppReferences } from './references';
export type { ExternalObjectProps } from './references';
export * from './access';
