/**
 * Refusals of the value factories (`Param`, `Secret`, `Node`, `Resources`, `Step`, `Matrix`, `When`), kept until the
 * value reaches a construct, which then throws them with its path. The machinery is shared with the other layers in
 * lib/core/values.ts. Internal: not exported from the package root.
 */
export { assertValues, checkValue, constructId, rethrowRefusal } from '../core/values';
