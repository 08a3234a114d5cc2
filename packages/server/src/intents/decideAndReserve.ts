/**
 * The decision transaction: lock the agent, read usage, evaluate, and write the intent with its reservations,
 * events and audit entries, all or nothing. Serialised per agent by the row lock; that is what makes limits
 * impossible to race, across any number of API processes.
 */
import type { IntentRequest } from '@bursar/core/api'
import { BursarError } from '@bursar/core/errors'
import type { CompiledPolicy, Decision, PolicyIntent } from '@bursar/core/policy'
import {
  findIntentByIdempotencyKey,
  type IntentRow,
  insertDecidedIntent,
  lockAgent,
  newId,
  readDecisionState,
  readUsage,
} from '@bursar/store'
import { getAddress } from 'viem'
import { breakerError } from '../breakers/breakerError.ts'
import { checkDecisionSignals } from '../breakers/breakerSignals.ts'
import type { ServerContext } from '../context.ts'
import { evaluateWithUsage, loadCompiled, noPolicyDecision, usageQueryFor } from './decideIntent.ts'
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

// The last policy version this process used per agent: a guess that lets usage ride along with the state read.
const latestPolicies = new Map<string, { version: number; policy: CompiledPolicy }>()

export async function decideAndReserve(
  ctx: ServerContext,
  params: DecideAndReserveParameters,
): Promise<DecideAndReserveReturnType> {
  return ctx.db.transaction(async (tx) => {
    // The agent row lock serialises decisions per agent. Everything the decision reads (policy version, breakers,
    // usage) comes from a *later* statement: under READ COMMITTED a statement's snapshot is taken before it waits
    // for a lock, so anything read alongside the lock could miss what the previous holder just committed.
    const agentStatus = await lockAgent(tx, params.agentId)
    if (!agentStatus || agentStatus === 'deleted') throw new BursarError('AGENT_NOT_FOUND', 'agent not found')
    if (agentStatus === 'paused')
      throw new BursarError('AGENT_PAUSED', 'the agent is paused; an owner must resume it')
    // Usage is read speculatively for the policy version this process last saw, in the same round trip.
    const guess = latestPolicies.get(params.agentId)
    const state = await readDecisionState(
      tx,
      params.agentId,
      guess ? usageQueryFor(guess.policy, params.policyIntent) : undefined,
    )
    if (state.breaker) throw breakerError(state.breaker)
    if (params.idempotencyKey !== null) {
      const existing = await findIntentByIdempotencyKey(tx, params.agentId, params.idempotencyKey)
      if (existing) return { row: existing, replayed: true }
    }
    let decision: Decision
    let policy: CompiledPolicy | null = null
    const policyVersion = state.policyVersion
    if (policyVersion === null) {
      decision = noPolicyDecision(params.policyIntent)
    } else {
      const hit = guess !== undefined && guess.version === policyVersion
      policy = hit ? guess.policy : await loadCompiled(tx, params.agentId, policyVersion)
      if (!hit) {
        if (latestPolicies.size > 100_000) latestPolicies.clear()
        latestPolicies.set(params.agentId, { version: policyVersion, policy })
      }
      const usage =
        hit && state.usage
          ? state.usage
          : await readUsage(tx, params.agentId, usageQueryFor(policy, params.policyIntent))
      decision = evaluateWithUsage(ctx, policy, { intent: params.policyIntent, agentStatus }, usage)
    }
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
