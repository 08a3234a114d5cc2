/** Evaluates an intent exactly as submission would, with today's usage, and changes nothing. */
import type { IntentRequest } from '@bursar/core/api'
import { BursarError, isBursarError } from '@bursar/core/errors'
import type { CompiledPolicy, Decision } from '@bursar/core/policy'
import { getAgent, readDecisionState } from '@bursar/store'
import type { ServerContext } from '../context.ts'
import { agentWalletCached } from './agentWalletCached.ts'
import { decideIntent } from './decideIntent.ts'
import { prepareIntent } from './prepareIntent.ts'

export type DryRunReturnType = {
  decision: Decision
  policy_version: number | null
  agent_status: string
  breaker: { scope: string; reason: string | null } | null
  /** Why the transaction could not be simulated (then its fee is not part of the decision), or null. */
  simulation_error: { code: string; message: string } | null
}

export async function dryRunIntent(
  ctx: ServerContext,
  params: { agentId: string; request: IntentRequest; draft?: CompiledPolicy },
): Promise<DryRunReturnType> {
  const prepared = prepareIntent(ctx, params.agentId, params.request)
  let intent = prepared.effective
  let simulationError: DryRunReturnType['simulation_error'] = null
  try {
    const { adapter } = prepared.entry
    const wallet = await agentWalletCached(ctx, params.agentId, adapter.network.family)
    const { maxFee } = await adapter.simulate(wallet.address, prepared.tx)
    intent = adapter.withFee(intent, maxFee)
  } catch (error) {
    // A dry run explains the policy even when the chain would refuse the transaction; it says so.
    if (!isBursarError(error)) throw error
    simulationError = { code: error.code, message: error.message }
  }
  return ctx.db.transaction(async (tx) => {
    // Nothing is written, so nothing is locked: a dry run sees usage as of its own snapshot.
    const row = await getAgent(tx, params.agentId)
    if (!row || row.status === 'deleted') throw new BursarError('AGENT_NOT_FOUND', 'agent not found')
    const agent = { status: row.status, ...(await readDecisionState(tx, params.agentId)) }
    const { decision, policyVersion } = await decideIntent(ctx, tx, {
      agentId: params.agentId,
      agentStatus: agent.status,
      intent,
      policy: params.draft
        ? { draft: params.draft }
        : agent.policyVersion === null
          ? null
          : { version: agent.policyVersion },
      breaker: agent.breaker
        ? {
            tripped: true,
            scope: agent.breaker.scope,
            ...(agent.breaker.reason ? { reason: agent.breaker.reason } : {}),
          }
        : { tripped: false },
    })
    return {
      decision,
      policy_version: policyVersion,
      agent_status: agent.status,
      breaker: agent.breaker,
      simulation_error: simulationError,
    }
  })
}
