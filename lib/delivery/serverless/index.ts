export * from './autoscaling';
export * from './traffic-target';
export * from './knative-service';
