/** Accepts an intent: validate, simulate, then decide and reserve in one transaction serialised per agent. */
import { createHash } from 'node:crypto'
import type { Intent, IntentRequest } from '@bursar/core/api'
import { canonicalJson } from '@bursar/core/audit'
import { BursarError } from '@bursar/core/errors'
import {
  appendAudit,
  findIntentByIdempotencyKey,
  getAgent,
  getAgentWallet,
  type IntentRow,
  insertIntent,
  insertIntentEvents,
  insertReservations,
  type NewAuditEntry,
  newId,
} from '@bursar/store'
import type { ServerContext } from '../context.ts'
import { decideIntent } from './decideIntent.ts'
import { resolveIntent, toPolicyIntent } from './resolveIntent.ts'
import { toIntentResponse } from './toIntentResponse.ts'

export type SubmitIntentParameters = {
  agentId: string
  request: IntentRequest
  idempotencyKey?: string | undefined
}

export type SubmitIntentReturnType = { intent: Intent; replayed: boolean }

export function requestHash(request: IntentRequest): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex')
}

/** A denied intent is stored (and audited) like any other; the caller learns of it as POLICY_DENIED. */
function outcomeOf(row: IntentRow, replayed: boolean): SubmitIntentReturnType {
  if (row.status === 'rejected') {
    const decision = row.decision as { reasons?: unknown } | null
    throw new BursarError('POLICY_DENIED', 'the policy denied this intent', {
      details: { intent_id: row.id, policy_version: row.policy_version, reasons: decision?.reasons ?? [] },
    })
  }
  return { intent: toIntentResponse(row), replayed }
}

function checkReplay(existing: IntentRow, hash: string): SubmitIntentReturnType {
  if (existing.request_hash !== hash) {
    throw new BursarError(
      'IDEMPOTENCY_KEY_REUSED',
      'this Idempotency-Key was already used with a different request body',
      {
        details: { intent_id: existing.id },
      },
    )
  }
  return outcomeOf(existing, true)
}

export async function submitIntent(
  ctx: ServerContext,
  params: SubmitIntentParameters,
): Promise<SubmitIntentReturnType> {
  const hash = requestHash(params.request)
  const key = params.idempotencyKey ?? null
  if (key !== null) {
    const existing = await findIntentByIdempotencyKey(ctx.db, params.agentId, key)
    if (existing) return checkReplay(existing, hash)
  }
  const resolved = resolveIntent(ctx, params.request)
  const wallet = await getAgentWallet(ctx.db, params.agentId)
  if (!wallet) throw new BursarError('WALLET_NOT_FOUND', 'the agent has no wallet')
  // Simulate before anything is written: a revert or an unreachable RPC leaves no trace but the response.
  await resolved.adapter.simulate({ from: wallet.address as `0x${string}`, ...resolved.tx })
  const policyIntent = toPolicyIntent(params.agentId, params.request, resolved)

  const { row, replayed } = await ctx.db.transaction(async (tx) => {
    // The agent row lock serialises decisions per agent: usage read here cannot be raced by a parallel request.
    const agent = await getAgent(tx, params.agentId, { forUpdate: true })
    if (!agent || agent.status === 'deleted') throw new BursarError('AGENT_NOT_FOUND', 'agent not found')
    if (agent.status === 'paused')
      throw new BursarError('AGENT_PAUSED', 'the agent is paused; an owner must resume it')
    if (key !== null) {
      const existing = await findIntentByIdempotencyKey(tx, params.agentId, key)
      if (existing) return { row: existing, replayed: true }
    }
    const { decision, policyVersion } = await decideIntent(ctx, tx, {
      agentId: agent.id,
      agentStatus: agent.status,
      intent: policyIntent,
    })
    const status =
      decision.outcome === 'allow' ? 'queued' : decision.outcome === 'deny' ? 'rejected' : 'pending_approval'
    const id = newId('int')
    const intent = await insertIntent(tx, {
      id,
      agentId: agent.id,
      walletId: wallet.id,
      network: resolved.network.name,
      status,
      request: params.request,
      requestHash: hash,
      idempotencyKey: key,
      asset: resolved.asset,
      amount: resolved.amount.toString(),
      recipient: resolved.recipient,
      decision,
      policyVersion,
      error: null,
    })
    const events: Array<{ intentId: string; from: string | null; to: string }> = [
      { intentId: id, from: null, to: 'received' },
    ]
    if (status === 'queued') {
      events.push(
        { intentId: id, from: 'received', to: 'approved' },
        { intentId: id, from: 'approved', to: 'queued' },
      )
    } else {
      events.push({ intentId: id, from: 'received', to: status })
    }
    await insertIntentEvents(tx, events)
    if (status !== 'rejected') await insertReservations(tx, id, agent.id, decision.reservations)
    const actor = { type: 'agent', id: agent.id } as const
    const subject = { type: 'intent', id } as const
    const audit: NewAuditEntry[] = [
      {
        actor,
        action: 'intent.received',
        subject,
        data: {
          request_hash: hash,
          network: resolved.network.name,
          asset: resolved.asset,
          amount: resolved.amount.toString(),
          recipient: resolved.recipient,
          idempotency_key: key,
        },
      },
      {
        actor: { type: 'system', id: null },
        action: 'policy.decided',
        subject,
        data: { outcome: decision.outcome, policy_version: policyVersion, reasons: decision.reasons },
      },
      { actor: { type: 'system', id: null }, action: `intent.${status}`, subject, data: {} },
    ]
    await appendAudit(tx, audit)
    return { row: intent, replayed: false }
  })
  if (replayed) return checkReplay(row, hash)
  ctx.metrics.intentsSubmitted.inc({ outcome: row.status })
  if (row.status === 'queued') ctx.wakeExecutor()
  return outcomeOf(row, false)
}
