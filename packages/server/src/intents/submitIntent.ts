/** Accepts an intent: validate, simulate, then decide and reserve in one transaction serialised per agent. */
import { createHash } from 'node:crypto'
import type { Intent, IntentRequest } from '@bursar/core/api'
import { canonicalJson } from '@bursar/core/audit'
import { BursarError } from '@bursar/core/errors'
import {
  findIntentByIdempotencyKey,
  type IntentRow,
  insertDecidedIntent,
  lockAgentForDecision,
  newId,
} from '@bursar/store'
import { getAddress } from 'viem'
import { breakerError } from '../breakers/breakerError.ts'
import { checkDecisionSignals } from '../breakers/breakerSignals.ts'
import type { ServerContext } from '../context.ts'
import { agentWalletCached } from './agentWalletCached.ts'
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
  const wallet = await agentWalletCached(ctx, params.agentId)
  // Simulate before anything is written: a revert or an unreachable RPC leaves no trace but the response.
  await resolved.adapter.simulate({ from: wallet.address as `0x${string}`, ...resolved.tx })
  const policyIntent = toPolicyIntent(params.agentId, params.request, resolved)

  const { row, replayed } = await ctx.db.transaction(async (tx) => {
    // The agent row lock serialises decisions per agent: usage read here cannot be raced by a parallel request.
    const agent = await lockAgentForDecision(tx, params.agentId)
    if (!agent || agent.status === 'deleted') throw new BursarError('AGENT_NOT_FOUND', 'agent not found')
    if (agent.status === 'paused')
      throw new BursarError('AGENT_PAUSED', 'the agent is paused; an owner must resume it')
    if (agent.breaker) throw breakerError(agent.breaker)
    if (key !== null) {
      const existing = await findIntentByIdempotencyKey(tx, params.agentId, key)
      if (existing) return { row: existing, replayed: true }
    }
    const { decision, policyVersion, policy } = await decideIntent(ctx, tx, {
      agentId: params.agentId,
      agentStatus: agent.status,
      intent: policyIntent,
      policy: agent.policyVersion === null ? null : { version: agent.policyVersion },
    })
    const status =
      decision.outcome === 'allow' ? 'queued' : decision.outcome === 'deny' ? 'rejected' : 'pending_approval'
    const events: Array<{ from: string | null; to: string }> = [{ from: null, to: 'received' }]
    if (status === 'queued')
      events.push({ from: 'received', to: 'approved' }, { from: 'approved', to: 'queued' })
    else events.push({ from: 'received', to: status })
    const system = { type: 'system', id: null } as const
    const intent = await insertDecidedIntent(
      tx,
      {
        id: newId('int'),
        agentId: params.agentId,
        walletId: wallet.id,
        network: resolved.network.name,
        status,
        request: params.request,
        requestHash: hash,
        idempotencyKey: key,
        // What the transaction really moves (decoded from calldata by the engine), not what the request claimed.
        asset: decision.effective.asset,
        amount: decision.effective.amount,
        recipient: getAddress(decision.effective.recipient),
        decision,
        policyVersion,
        error: null,
      },
      {
        events,
        reservations: status === 'rejected' ? [] : decision.reservations,
        audit: [
          {
            actor: { type: 'agent', id: params.agentId },
            action: 'intent.received',
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
            actor: system,
            action: 'policy.decided',
            data: { outcome: decision.outcome, policy_version: policyVersion, reasons: decision.reasons },
          },
          { actor: system, action: `intent.${status}`, data: {} },
        ],
      },
    )
    if (policy) await checkDecisionSignals(ctx, tx, { agentId: params.agentId, policy, decision })
    return { row: intent, replayed: false }
  })
  if (replayed) return checkReplay(row, hash)
  ctx.metrics.intentsSubmitted.inc({ outcome: row.status })
  if (row.status === 'queued') ctx.wakeExecutor()
  return outcomeOf(row, false)
}
