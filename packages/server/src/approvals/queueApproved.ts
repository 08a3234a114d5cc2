/**
 * Hands an approved intent to the signer once its timelock has passed: the approval hash is recomputed from the stored
 * transaction first (a mismatch voids the approval and fails the intent, its reservation released), and a fresh
 * decision MAC is issued over exactly what was approved, because the approval never stands in for signing authority.
 */
import { approvalHash, evaluateApprovals, executableAt } from '@bursar/core/approvals'
import type { JsonValue } from '@bursar/core/chains'
import {
  type ApprovalRequestRow,
  appendAudit,
  getPolicyVersion,
  getWallet,
  type IntentRow,
  listApprovalDecisions,
  releaseReservations,
  type Sql,
  setApprovalStatus,
  transitionIntent,
} from '@bursar/store'
import type { ServerContext } from '../context.ts'
import { approvalDecisionMac, approvalRequestMac, macMatches } from '../integrity/approvalMac.ts'
import { decisionMac, isDecisionMacValid } from '../integrity/decisionMac.ts'
import { checkPolicyVersion } from '../integrity/policyMac.ts'
import { countableDecisions } from './countableDecisions.ts'
import { quorumsOf } from './quorumsOf.ts'

export type QueueApprovedReturnType = 'queued' | 'void' | 'waiting'

/** Call with the intent and its request locked (intent first). `now` decides whether the timelock has passed. */
export async function queueApproved(
  ctx: ServerContext,
  tx: Sql,
  intent: IntentRow,
  request: ApprovalRequestRow,
  now: Date,
): Promise<QueueApprovedReturnType> {
  if (request.executable_at !== null && request.executable_at.getTime() > now.getTime()) return 'waiting'
  const approved = await approvalProblem(ctx, tx, request, now)
  // A timelock shortened in the database is not a shorter timelock.
  if ('executableAt' in approved && approved.executableAt.getTime() > now.getTime()) return 'waiting'
  const problem = 'problem' in approved ? approved.problem : await bindingProblem(ctx, tx, intent, request)
  if (problem !== undefined) {
    await setApprovalStatus(tx, request.id, { status: 'void', decidedAt: now })
    await transitionIntent(
      tx,
      intent.id,
      ['approved'],
      'failed',
      { error: { code: 'APPROVAL_VOID', message: `the approval does not stand: ${problem}` } },
      { by: 'system', approval_request_id: request.id },
    )
    const released = await releaseReservations(tx, intent.id)
    await appendAudit(tx, [
      {
        actor: { type: 'system', id: null },
        action: 'intent.failed',
        subject: { type: 'intent', id: intent.id },
        data: {
          code: 'APPROVAL_VOID',
          reason: problem,
          approval_request_id: request.id,
          reservation_released: released > 0,
        },
      },
    ])
    return 'void'
  }
  const policy = (await getPolicyVersion(tx, intent.agent_id, request.policy_version))!
  const wallet = (await getWallet(tx, intent.wallet_id))!
  const entry = ctx.networks.get(intent.network)!
  const expiresAt = new Date(now.getTime() + ctx.config.executor.decisionTtlSeconds * 1000)
  const mac = decisionMac(ctx.keystore, {
    outcome: 'allow',
    notAfter: expiresAt.toISOString(),
    intentId: intent.id,
    agentId: intent.agent_id,
    walletId: intent.wallet_id,
    derivationIndex: wallet.derivation_index,
    network: intent.network,
    chainKey: entry.adapter.chainKey,
    tx: intent.tx,
    maxFee: intent.max_fee!,
    policyVersion: request.policy_version,
    policyHash: policy.document_hash!,
  })
  await transitionIntent(
    tx,
    intent.id,
    ['approved'],
    'queued',
    { decision_mac: mac, decision_expires_at: expiresAt },
    { by: 'system', approval_request_id: request.id },
  )
  await appendAudit(tx, [
    {
      actor: { type: 'system', id: null },
      action: 'intent.queued',
      subject: { type: 'intent', id: intent.id },
      data: { approval_request_id: request.id, approval_hash: request.approval_hash },
    },
  ])
  return 'queued'
}

/** Why what the approval bound no longer holds, or undefined when it still does. */
export async function bindingProblem(
  ctx: ServerContext,
  tx: Sql,
  intent: IntentRow,
  request: ApprovalRequestRow,
): Promise<string | undefined> {
  const entry = ctx.networks.get(intent.network)
  if (entry === undefined) return `the network ${intent.network} is no longer configured`
  if (intent.tx === null || intent.max_fee === null) return 'the intent carries no decided transaction'
  if (intent.policy_version !== request.policy_version) return 'the intent names another policy version'
  const policy = await getPolicyVersion(tx, intent.agent_id, request.policy_version)
  const policyHash = policy === undefined ? undefined : checkPolicyVersion(ctx.keystore, policy)
  if (policyHash === undefined)
    return `policy version ${request.policy_version} is missing or was changed outside Bursar`
  // The request itself (its hash, quorums, timelocks, expiry) as the server wrote it.
  const requestMac = approvalRequestMac(ctx.keystore, {
    id: request.id,
    intentId: request.intent_id,
    agentId: request.agent_id,
    orgId: request.org_id,
    approvalHash: request.approval_hash,
    policyVersion: request.policy_version,
    rules: request.rules,
    quorums: request.quorums,
    expiresAt: request.expires_at,
  })
  if (request.intent_id !== intent.id || !macMatches(requestMac, request.mac))
    return 'the approval request was not written by this server (its MAC does not match)'
  // The transaction and fee ceiling as decided: the decision's own MAC, which the hash alone cannot replace.
  const wallet = await getWallet(tx, intent.wallet_id)
  if (
    wallet === undefined ||
    intent.decision_expires_at === null ||
    !isDecisionMacValid(
      ctx.keystore,
      {
        outcome: 'require_approval',
        notAfter: intent.decision_expires_at.toISOString(),
        intentId: intent.id,
        agentId: intent.agent_id,
        walletId: intent.wallet_id,
        derivationIndex: wallet.derivation_index,
        network: intent.network,
        chainKey: entry.adapter.chainKey,
        tx: intent.tx,
        maxFee: intent.max_fee,
        policyVersion: request.policy_version,
        policyHash,
      },
      intent.decision_mac,
    )
  )
    return 'the transaction or fee ceiling is not the one decided (the decision MAC does not match)'
  const hash = approvalHash({
    network: intent.network,
    agentId: intent.agent_id,
    intentId: intent.id,
    binding: entry.adapter.approvalBinding(intent.tx as JsonValue),
    policyVersion: request.policy_version,
  })
  return hash === request.approval_hash ? undefined : 'the transaction it was bound to has changed'
}

/**
 * Why the request does not stand as approved by the decisions the server recorded (each one's MAC checked, each
 * approver counted with the role held now), or undefined; also when its timelock really ends.
 */
async function approvalProblem(
  ctx: ServerContext,
  tx: Sql,
  request: ApprovalRequestRow,
  now: Date,
): Promise<{ problem: string } | { executableAt: Date }> {
  const recorded = (await listApprovalDecisions(tx, request.id)).filter((row) =>
    macMatches(
      approvalDecisionMac(ctx.keystore, {
        requestId: row.request_id,
        accountId: row.account_id,
        role: row.role,
        decision: row.decision,
        factor: row.factor,
        decidedAt: row.decided_at,
      }),
      row.mac,
    ),
  )
  const state = evaluateApprovals(
    { quorums: quorumsOf(request), expiresAt: request.expires_at },
    await countableDecisions(tx, request.org_id, recorded),
    now,
  )
  // A denial anywhere in the record ends the request, whatever order or roles the rows claim now.
  if (recorded.some((row) => row.decision === 'deny')) return { problem: 'a recorded decision denies it' }
  if (state.status !== 'approved')
    return { problem: `its recorded decisions do not approve it (${state.status})` }
  const rules = (request.rules as Array<{ timelockSeconds?: number }> | null) ?? []
  const at = executableAt(
    state,
    rules.map((rule) => ({ timelockSeconds: rule.timelockSeconds ?? 0 })),
  )
  const column = request.executable_at?.getTime() ?? 0
  return { executableAt: new Date(Math.max(at.getTime(), column)) }
}
