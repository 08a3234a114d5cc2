/**
 * Automatic circuit breakers: after a decision or a failure, check the agent's breaker signals and trip its
 * breaker in the same transaction. A trip is audited, logged and counted.
 */
import type { CompiledPolicy, Decision } from '@bursar/core/policy'
import { parseDuration } from '@bursar/core/policy'
import {
  appendAudit,
  countRecentDenials,
  countRecentFailures,
  readUsage,
  type Sql,
  tripBreaker,
} from '@bursar/store'
import type { ServerContext } from '../context.ts'

export async function trip(
  ctx: ServerContext,
  tx: Sql,
  params: {
    agentId: string | null
    signal: string
    reason: string
    actor: { type: 'account' | 'service_token' | 'system'; id: string | null }
  },
): Promise<boolean> {
  const tripped = await tripBreaker(tx, {
    agentId: params.agentId,
    signal: params.signal,
    reason: params.reason,
    by: params.actor.id ?? 'system',
  })
  if (!tripped) return false
  await appendAudit(tx, [
    {
      actor: params.actor,
      action: 'breaker.tripped',
      subject: params.agentId ? { type: 'agent', id: params.agentId } : { type: 'system', id: 'global' },
      data: { signal: params.signal, reason: params.reason, scope: params.agentId ? 'agent' : 'global' },
    },
  ])
  ctx.metrics.breakerTrips.inc({ scope: params.agentId ? 'agent' : 'global', signal: params.signal })
  ctx.logger.warn(
    { agent: params.agentId, signal: params.signal, reason: params.reason },
    'circuit breaker tripped',
  )
  return true
}

export async function checkDecisionSignals(
  ctx: ServerContext,
  tx: Sql,
  params: { agentId: string; policy: CompiledPolicy; decision: Decision },
): Promise<void> {
  const breaker = params.policy.document.breaker
  if (!breaker) return
  if (params.decision.outcome === 'deny') await checkDenialSignal(ctx, tx, params)
  if (params.decision.outcome !== 'deny' && breaker.spendVelocity?.length) {
    const usage = await readUsage(tx, params.agentId, {
      spend: breaker.spendVelocity.map((rule) => ({
        asset: rule.asset.toLowerCase(),
        windowSeconds: parseDuration(rule.window),
      })),
      usdWindows: [],
      countWindows: [],
    })
    for (const rule of breaker.spendVelocity) {
      const spent = usage.spend.get(`${rule.asset.toLowerCase()}|${parseDuration(rule.window)}`) ?? 0n
      if (spent > BigInt(rule.max)) {
        await trip(ctx, tx, {
          agentId: params.agentId,
          signal: 'spend_velocity',
          reason: `${spent} of ${rule.asset} within ${rule.window} exceeds the breaker threshold ${rule.max}`,
          actor: { type: 'system', id: null },
        })
        break
      }
    }
  }
}

/** After a denial or a refusal: too many of them in the window trip the agent's breaker. */
export async function checkDenialSignal(
  ctx: ServerContext,
  tx: Sql,
  params: { agentId: string; policy: CompiledPolicy | null },
): Promise<void> {
  const signal = params.policy?.document.breaker?.denials
  if (!signal) return
  const denials = await countRecentDenials(tx, params.agentId, parseDuration(signal.window))
  if (denials >= signal.max) {
    await trip(ctx, tx, {
      agentId: params.agentId,
      signal: 'denials',
      reason: `${denials} policy denials and refusals within ${signal.window} (threshold ${signal.max})`,
      actor: { type: 'system', id: null },
    })
  }
}

export async function checkFailureSignal(
  ctx: ServerContext,
  tx: Sql,
  params: { agentId: string; policy: CompiledPolicy | null },
): Promise<void> {
  const signal = params.policy?.document.breaker?.failedBroadcasts
  if (!signal) return
  const failures = await countRecentFailures(tx, params.agentId, parseDuration(signal.window))
  if (failures >= signal.max) {
    await trip(ctx, tx, {
      agentId: params.agentId,
      signal: 'failed_broadcasts',
      reason: `${failures} failed transactions within ${signal.window} (threshold ${signal.max})`,
      actor: { type: 'system', id: null },
    })
  }
}
