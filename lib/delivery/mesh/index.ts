export * from './common';
export * from './virtual-service';
export * from './destination-rule';
export * from './gateway';
export * from './service-entry';
export * from './authorization-policy';
export * from './peer-authentication';
export { RETRY_ON_POLICIES } from './validation';
