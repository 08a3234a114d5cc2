/**
 * The decision transaction: lock the agent, read usage, evaluate, and write the intent with its reservations,
 * events and audit entries, all or nothing. Serialised per agent by the row lock; that is what makes limits
 * impossible to race, across any number of API processes.
 */
import type { IntentRequest } from '@bursar/core/api'
import { BursarError } from '@bursar/core/errors'
import type { PolicyIntent } from '@bursar/core/policy'
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
import { decideIntent } from './decideIntent.ts'
import type { ResolvedIntent } from './resolveIntent.ts'

export type DecideAndReserveParameters = {
  agentId: string
  walletId: string
  request: IntentRequest
  resolved: ResolvedIntent
  policyIntent: PolicyIntent
  requestHash: string
  idempotencyKey: string | null
}

export type DecideAndReserveReturnType = { row: IntentRow; replayed: boolean }

export async function decideAndReserve(
  ctx: ServerContext,
  params: DecideAndReserveParameters,
): Promise<DecideAndReserveReturnType> {
  return ctx.db.transaction(async (tx) => {
    // The agent row lock serialises decisions per agent: usage read here cannot be raced by a parallel request.
    // Usage must be read by a *later* statement than this lock: under READ COMMITTED a statement's snapshot is
    // taken before it waits for the lock, so sums read alongside it would miss the previous holder's reservation.
    const agent = await lockAgentForDecision(tx, params.agentId)
    if (!agent || agent.status === 'deleted') throw new BursarError('AGENT_NOT_FOUND', 'agent not found')
    if (agent.status === 'paused')
      throw new BursarError('AGENT_PAUSED', 'the agent is paused; an owner must resume it')
    if (agent.breaker) throw breakerError(agent.breaker)
    if (params.idempotencyKey !== null) {
      const existing = await findIntentByIdempotencyKey(tx, params.agentId, params.idempotencyKey)
      if (existing) return { row: existing, replayed: true }
    }
    const { decision, policyVersion, policy } = await decideIntent(ctx, tx, {
      agentId: params.agentId,
      agentStatus: agent.status,
      intent: params.policyIntent,
      policy: agent.policyVersion === null ? null : { version: agent.policyVersion },
    })
    const status =
      decision.outcome === 'allow' ? 'queued' : decision.outcome === 'deny' ? 'rejected' : 'pending_approval'
    const events: Array<{ from: string | null; to: string }> = [{ from: null, to: 'received' }]
    if (status === 'queued')
      events.push({ from: 'received', to: 'approved' }, { from: 'approved', to: 'queued' })
    else events.push({ from: 'received', to: status })
    const intent = await insertDecidedIntent(
      tx,
      {
        id: newId('int'),
        agentId: params.agentId,
        walletId: params.walletId,
        network: params.resolved.network.name,
        status,
        request: params.request,
        requestHash: params.requestHash,
        idempotencyKey: params.idempotencyKey,
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
        // One entry for what happened atomically: received, decided under this policy version, and where it went.
        audit: [
          {
            actor: { type: 'agent', id: params.agentId },
            action: 'intent.decided',
            data: {
              request_hash: params.requestHash,
              network: params.resolved.network.name,
              asset: decision.effective.asset,
              amount: decision.effective.amount,
              recipient: decision.effective.recipient,
              idempotency_key: params.idempotencyKey,
              outcome: decision.outcome,
              policy_version: policyVersion,
              reasons: decision.reasons,
              status,
            },
          },
        ],
      },
    )
    if (policy) await checkDecisionSignals(ctx, tx, { agentId: params.agentId, policy, decision })
    return { row: intent, replayed: false }
  })
}
