/** Creates the approval request of an intent that a `require_approval` decision holds. */
import type { JsonValue } from '@bursar/core/chains'
import type { Sql } from '../Db.ts'
import { newId } from '../newId.ts'
import type { ApprovalQuorumRecord, ApprovalRequestRow } from './ApprovalRequestRow.ts'

export type InsertApprovalRequestParameters = {
  /** Chosen by the caller when the decision's audit entry must name it (default: a new id). */
  id?: string
  intentId: string
  agentId: string
  orgId: string
  approvalHash: string
  policyVersion: number
  /** JSON only: core's compiled rules hold bigints and sets, so the caller picks what to keep. */
  rules: JsonValue
  quorums: readonly ApprovalQuorumRecord[]
  /** The moment approvalRequest computed `expiresAt` from; default: now. */
  createdAt?: Date
  expiresAt: Date
  /** The server's MAC over what the request binds (integrity/approvalMac.ts). */
  mac: string
}

/**
 * Call it in the decision's transaction. An intent has at most one request: a second insert for it fails on the
 * unique key (a bug, not a race: the intent's lock serialises its decision).
 *
 * @example
 * const request = approvalRequest(policy, decision.approval.requirements, createdAt)
 * await insertApprovalRequest(tx, { intentId, agentId, orgId, approvalHash: hash, policyVersion, createdAt,
 *   expiresAt: request.expiresAt, rules: request.rules.map((r) => ({ rule: r.rule, timelockSeconds: r.timelockSeconds })),
 *   quorums: request.quorums.map((q) => ({ ...q, accounts: [...q.accounts], members: q.members ?? null })) })
 */
export async function insertApprovalRequest(
  tx: Sql,
  parameters: InsertApprovalRequestParameters,
): Promise<ApprovalRequestRow> {
  const [row] = await tx.query<ApprovalRequestRow>(
    `insert into approval_requests (id, intent_id, org_id, agent_id, approval_hash, policy_version, rules,
                                    quorums, status, created_at, expires_at, mac)
     values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, 'pending', coalesce($9::timestamptz, now()), $10, $11)
     returning *`,
    [
      parameters.id ?? newId('apr'),
      parameters.intentId,
      parameters.orgId,
      parameters.agentId,
      parameters.approvalHash,
      parameters.policyVersion,
      JSON.stringify(parameters.rules),
      JSON.stringify(parameters.quorums),
      parameters.createdAt?.toISOString() ?? null,
      parameters.expiresAt.toISOString(),
      parameters.mac,
    ],
  )
  return row!
}
