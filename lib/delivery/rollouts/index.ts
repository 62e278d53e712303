export * from './common';
export * from './metric';
export * from './analysis';
export * from './analysis-template';
export * from './cluster-analysis-template';
export * from './canary-step';
export * from './traffic-routing';
export * from './strategy';
export * from './rollout';
export * from './experiment';
export {
  parseGoDuration, rolloutSpecViolations, metricViolations, experimentViolations, POD_TEMPLATE_HASH,
} from './validation';
