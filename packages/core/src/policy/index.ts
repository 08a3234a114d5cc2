/** The policy engine: validate an owner's policy once, then evaluate intents against it, purely and fast. */
export type {
  CompiledAmountLimit,
  CompiledApprovalRule,
  CompiledCedar,
  CompiledPolicy,
  CompiledTimeWindows,
  CompiledWindowLimit,
  SetRule,
} from './CompiledPolicy.ts'
export {
  type CedarEngine,
  type CedarRequest,
  type CedarWasm,
  createCedarEngine,
} from './cedar/CedarEngine.ts'
export { cedarBounds, checkCedarBounds } from './cedar/cedarBounds.ts'
export { defaultCedarEngine, setDefaultCedarEngine } from './cedar/defaultCedarEngine.ts'
export type { ApprovalRequirement, Decision, ExplanationEntry, Reason } from './Decision.ts'
export { diffPolicies, type PolicyChange } from './diffPolicies.ts'
export type { EvaluationContext, PriceSource } from './EvaluationContext.ts'
export { emptyUsage } from './emptyUsage.ts'
export { evaluatePolicy } from './evaluatePolicy.ts'
export { jsonPath } from './jsonPath.ts'
export type { PolicyIssue } from './PolicyIssue.ts'
export type { PolicyWarning } from './PolicyWarning.ts'
export { maxWindowSeconds, parseDuration } from './parseDuration.ts'
export { type PolicyDocument, policyDocumentSchema } from './policyDocumentSchema.ts'
export { type PolicyReasonCode, policyReasonCodes } from './policyReasonCodes.ts'
export { policyTemplates } from './policyTemplates.ts'
export { type PolicyWarningCode, policyWarningCodes } from './policyWarningCodes.ts'
export { unlimitedApprovalThreshold } from './rules/checkContracts.ts'
export { type Usage, type UsageRequest, usageKey } from './Usage.ts'
export { usageRequest } from './usageRequest.ts'
export { formatUsd, parseUsd, usdMicros } from './usd.ts'
export { type ValidatePolicyReturnType, validatePolicy } from './validatePolicy.ts'
