/** Members' actions on breakers: freeze or reset an agent, halt or resume the whole instance. Each is audited. */
import { BursarError } from '@bursar/core/errors'
import { appendAudit, type BreakerRow, resetBreaker } from '@bursar/store'
import { ownedAgent } from '../agents/agentOperations.ts'
import type { OptionalOrgCaller } from '../auth/Caller.ts'
import type { ServerContext } from '../context.ts'
import { trip } from './breakerSignals.ts'

export async function freeze(
  ctx: ServerContext,
  caller: OptionalOrgCaller,
  agentId: string | null,
  reason: string,
): Promise<boolean> {
  return ctx.db.transaction(async (tx) => {
    if (agentId !== null) await ownedAgent(tx, ownerOf(caller), agentId)
    return trip(ctx, tx, { agentId, signal: 'manual', reason, actor: caller.actor })
  })
}

export async function reset(
  ctx: ServerContext,
  caller: OptionalOrgCaller,
  agentId: string | null,
): Promise<BreakerRow> {
  const row = await ctx.db.transaction(async (tx) => {
    if (agentId !== null) await ownedAgent(tx, ownerOf(caller), agentId)
    const row = await resetBreaker(tx, agentId, caller.actor.id)
    if (!row) {
      throw new BursarError(
        'NOT_FOUND',
        agentId ? 'the agent breaker is not tripped' : 'the global breaker is not tripped',
        {
          details: { scope: agentId ? 'agent' : 'global' },
        },
      )
    }
    await appendAudit(tx, [
      {
        actor: caller.actor,
        action: 'breaker.reset',
        subject: agentId ? { type: 'agent', id: agentId } : { type: 'system', id: 'global' },
        data: { signal: row.signal, reason: row.reason, scope: row.scope },
      },
    ])
    return row
  })
  ctx.logger.warn({ agent: agentId, by: caller.actor.id }, 'circuit breaker reset')
  ctx.wakeExecutor()
  return row
}

// The global breaker is the instance admin's, who may act outside any organisation; an agent's is its organisation's.
function ownerOf(caller: OptionalOrgCaller): string {
  if (caller.orgId === null)
    throw new BursarError('ROLE_FORBIDDEN', 'an agent breaker is changed by a member of its organisation', {
      details: { required: 'approver' },
    })
  return caller.orgId
}
