/** Something a valid policy document probably does not mean: where in the document, a stable code, and why. */
import type { PolicyWarningCode } from './policyWarningCodes.ts'

export type PolicyWarning = {
  /** JSON path of the value the warning is about, e.g. `$.rateLimits[0].max`. */
  path: string
  code: PolicyWarningCode
  message: string
}
