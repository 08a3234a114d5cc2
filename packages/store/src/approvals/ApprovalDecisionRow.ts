/** One approver's decision on a request, as stored. */
import type { MemberRole } from '@bursar/core/approvals'

export type ApprovalFactor = 'totp' | 'passkey' | 'recovery'

export type ApprovalDecisionRow = {
  request_id: string
  account_id: string
  /** The order decisions were recorded in: the order evaluateApprovals reads them. */
  seq: number
  /** The role the approver held when deciding. */
  role: MemberRole
  decision: 'approve' | 'deny'
  /** The second factor proven with the decision. */
  factor: ApprovalFactor
  decided_at: Date
  /** The server's MAC over the decision; null on rows written before it existed. */
  mac: string | null
}
