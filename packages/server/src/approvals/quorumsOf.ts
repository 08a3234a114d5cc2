/** The stored quorums of a request, as the approvals engine reads them. */
import { type ApprovalQuorum, parseApproverId } from '@bursar/core/approvals'
import type { ApprovalRequestRow } from '@bursar/store'

export function quorumsOf(request: ApprovalRequestRow): ApprovalQuorum[] {
  return request.quorums.map((quorum) => ({
    rule: quorum.rule,
    quorum: quorum.quorum,
    accounts: new Set(quorum.accounts.flatMap((id) => parseApproverId(id) ?? [])),
    members: quorum.members ?? undefined,
    role: quorum.role,
  }))
}
