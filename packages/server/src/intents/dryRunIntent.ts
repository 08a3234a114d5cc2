/** Evaluates an intent exactly as submission would, with today's usage, and changes nothing. */
import type { IntentRequest } from '@bursar/core/api'
import { BursarError } from '@bursar/core/errors'
import type { CompiledPolicy, Decision } from '@bursar/core/policy'
import { getAgent, readDecisionState } from '@bursar/store'
import type { ServerContext } from '../context.ts'
import { decideIntent } from './decideIntent.ts'
import { resolveIntent, toPolicyIntent } from './resolveIntent.ts'

export type DryRunReturnType = {
  decision: Decision
  policy_version: number | null
  agent_status: string
  breaker: { scope: string; reason: string | null } | null
}

export async function dryRunIntent(
  ctx: ServerContext,
  params: { agentId: string; request: IntentRequest; draft?: CompiledPolicy },
): Promise<DryRunReturnType> {
  const resolved = resolveIntent(ctx, params.request)
  const intent = toPolicyIntent(params.agentId, params.request, resolved)
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
    return { decision, policy_version: policyVersion, agent_status: agent.status, breaker: agent.breaker }
  })
}
