/** Why one approver's decision does not count, as stable codes (the server answers each with its own error). */

export const approvalRefusalCodes = {
  APPROVER_NOT_AN_ACCOUNT: 'The id is not an owner account (an agent id, say): agents never approve.',
  APPROVER_NOT_IN_SET: 'The policy neither names this account nor lets a role it holds approve.',
  APPROVER_ROLE_INSUFFICIENT:
    'The approver holds a role below the one the policy requires (a viewer never approves).',
  APPROVER_ALREADY_DECIDED: 'The approver has decided this request already; each approver decides once.',
  APPROVAL_EXPIRED: 'The decision came at or after the moment the request expired.',
  APPROVAL_CLOSED: 'The request was approved or denied before this decision.',
} as const

export type ApprovalRefusalCode = keyof typeof approvalRefusalCodes
