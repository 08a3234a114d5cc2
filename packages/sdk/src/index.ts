export { BursarApiError } from './BursarApiError.ts'
export {
  type BursarClient,
  type BursarClientParameters,
  createBursarClient,
  finalStatuses,
  type ListIntentsParameters,
  type ListIntentsReturnType,
  type SendIntentOptions,
  type WaitForIntentOptions,
} from './createBursarClient.ts'
export { request, type Transport } from './request.ts'
