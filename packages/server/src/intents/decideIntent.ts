/** Evaluates an intent against the agent's current policy with usage read inside the caller's transaction. */
import {
  type CompiledPolicy,
  type Decision,
  emptyUsage,
  evaluatePolicy,
  type PolicyIntent,
  type PriceSource,
  usageRequest,
  validatePolicy,
} from '@bursar/core/policy'
import {
  countIntents,
  getCurrentPolicy,
  recipientKnown,
  type Sql,
  sumSpend,
  sumSpendUsd,
} from '@bursar/store'
import type { ServerContext } from '../context.ts'

export type DecideIntentReturnType = { decision: Decision; policyVersion: number | null }

// Compiling a policy (Cedar included) costs far more than evaluating it; versions are immutable, so cache them.
const compiled = new Map<string, CompiledPolicy>()

export function compiledPolicy(agentId: string, version: number, document: unknown): CompiledPolicy {
  const key = `${agentId}:${version}`
  let policy = compiled.get(key)
  if (!policy) {
    const result = validatePolicy(document)
    if (!result.ok) throw new Error(`stored policy ${key} no longer validates`)
    policy = result.policy
    if (compiled.size > 10_000) compiled.clear()
    compiled.set(key, policy)
  }
  return policy
}

export function priceSource(ctx: ServerContext): PriceSource {
  return (asset) => {
    const price = ctx.config.prices[asset]
    return price ? { usdMicrosPerUnit: BigInt(price.usdMicrosPerUnit), decimals: price.decimals } : undefined
  }
}

export const noPolicyDecision: Decision = {
  outcome: 'deny',
  reasons: [
    {
      code: 'NO_POLICY' as Decision['reasons'][number]['code'],
      rule: '$',
      message: 'the agent has no policy yet; an owner must set one',
    },
  ],
  reservations: [],
  explanation: [{ rule: '$', kind: 'policy', result: 'fail', detail: 'no policy' }],
}

export async function decideIntent(
  ctx: ServerContext,
  tx: Sql,
  params: {
    agentId: string
    agentStatus: 'active' | 'paused' | 'deleted'
    intent: PolicyIntent
    policy?: { version: number; document: unknown }
  },
): Promise<DecideIntentReturnType> {
  const stored = params.policy ?? (await getCurrentPolicy(tx, params.agentId))
  if (!stored) return { decision: noPolicyDecision, policyVersion: null }
  const policy = compiledPolicy(params.agentId, stored.version, stored.document)
  const request = usageRequest(policy, params.intent)
  const usage = emptyUsage()
  for (const { asset, windowSeconds } of request.spend) {
    usage.spend.set(`${asset}|${windowSeconds}`, await sumSpend(tx, params.agentId, asset, windowSeconds))
  }
  for (const windowSeconds of request.usdWindows) {
    usage.usdMicros.set(windowSeconds, await sumSpendUsd(tx, params.agentId, windowSeconds))
  }
  for (const windowSeconds of request.countWindows) {
    usage.counts.set(windowSeconds, await countIntents(tx, params.agentId, windowSeconds))
  }
  if (request.recipientHistory)
    usage.recipientKnown = await recipientKnown(tx, params.agentId, params.intent.recipient)
  const decision = evaluatePolicy(policy, params.intent, usage, {
    now: new Date(),
    agentStatus: params.agentStatus,
    breaker: { tripped: false },
    prices: priceSource(ctx),
  })
  return { decision, policyVersion: stored.version }
}
