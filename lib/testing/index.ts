// slipway/testing: the independent checks slipway's own tests run, for users' tests and CI.
export { Problem, formatProblems } from './problem';
export { SynthOutput, ValidationReport, expectValid, isJenkinsfile, synthesize, validate, validateDocuments, validateJenkinsfiles } from './validate';
export { matchers } from './matchers';
export { GroovyError, GroovyResult, groovyUnavailable, parseGroovy } from './groovy';
export { hasSchema, strictSchema } from './crd';
export { isCoreKubernetes } from './core';
export { schemasDir } from './schemas';
