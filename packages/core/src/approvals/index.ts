/** Approvals: who may approve what, when a request is decided, expires or may execute, and what it is bound to. */
export { maxApprovalWaitSeconds } from '../policy/approvalWait.ts'
export type { ApproverRole } from '../policy/approverEntry.ts'
export { approvalExpiry } from './approvalExpiry.ts'
export { type ApprovalHashParameters, approvalHash } from './approvalHash.ts'
export { type ApprovalQuorum, approvalQuorum, holdsRole, type MemberRole } from './approvalQuorum.ts'
export { type ApprovalRefusalCode, approvalRefusalCodes } from './approvalRefusalCodes.ts'
export { type ApprovalRequest, approvalRequest } from './approvalRequest.ts'
export { type ApproverId, parseApproverId } from './approverId.ts'
export { type Approver, checkApprover, countsFor } from './checkApprover.ts'
export {
  type ApprovalDecision,
  type ApprovalRefusal,
  type EvaluateApprovalsParameters,
  type EvaluateApprovalsReturnType,
  evaluateApprovals,
  type MissingApprovals,
} from './evaluateApprovals.ts'
export { executableAt } from './executableAt.ts'
