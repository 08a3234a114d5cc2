/** Owner actions on breakers: freeze or reset an agent, halt or resume the whole instance. Each is audited. */
import { BursarError } from '@bursar/core/errors'
import { appendAudit, type BreakerRow, resetBreaker } from '@bursar/store'
import { ownedAgent } from '../agents/agentOperations.ts'
import type { ServerContext } from '../context.ts'
import { trip } from './breakerSignals.ts'

export async function freeze(
  ctx: ServerContext,
  ownerId: string,
  agentId: string | null,
  reason: string,
): Promise<boolean> {
  return ctx.db.transaction(async (tx) => {
    if (agentId !== null) await ownedAgent(tx, ownerId, agentId)
    return trip(ctx, tx, { agentId, signal: 'manual', reason, actor: { type: 'owner', id: ownerId } })
  })
}

export async function reset(
  ctx: ServerContext,
  ownerId: string,
  agentId: string | null,
): Promise<BreakerRow> {
  const row = await ctx.db.transaction(async (tx) => {
    if (agentId !== null) await ownedAgent(tx, ownerId, agentId)
    const row = await resetBreaker(tx, agentId, ownerId)
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
        actor: { type: 'owner', id: ownerId },
        action: 'breaker.reset',
        subject: agentId ? { type: 'agent', id: agentId } : { type: 'system', id: 'global' },
        data: { signal: row.signal, reason: row.reason, scope: row.scope },
      },
    ])
    return row
  })
  ctx.logger.warn({ agent: agentId, by: ownerId }, 'circuit breaker reset')
  ctx.wakeExecutor()
  return row
}
