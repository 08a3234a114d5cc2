/** Evaluates an intent against an agent's policy with usage read inside the caller's transaction. */
import {
  type CompiledPolicy,
  type Decision,
  evaluatePolicy,
  type PolicyIntent,
  type PriceSource,
  usageRequest,
  validatePolicy,
} from '@bursar/core/policy'
import { getPolicyVersion, readUsage, type Sql, type UsageQuery, type UsageRead } from '@bursar/store'
import type { ServerContext } from '../context.ts'

export type DecideIntentReturnType = {
  decision: Decision
  policyVersion: number | null
  policy: CompiledPolicy | null
}

// Compiling a policy (Cedar included) costs far more than evaluating it; versions are immutable, so cache them.
const compiled = new Map<string, CompiledPolicy>()

export function compilePolicyDocument(document: unknown): CompiledPolicy {
  const result = validatePolicy(document)
  if (!result.ok) throw new Error('a stored policy no longer validates')
  return result.policy
}

export async function loadCompiled(tx: Sql, agentId: string, version: number): Promise<CompiledPolicy> {
  const key = `${agentId}:${version}`
  let policy = compiled.get(key)
  if (!policy) {
    const stored = await getPolicyVersion(tx, agentId, version)
    if (!stored) throw new Error(`policy ${key} is missing`)
    policy = compilePolicyDocument(stored.document)
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

export function noPolicyDecision(intent: PolicyIntent): Decision {
  return {
    outcome: 'deny',
    reasons: [
      { code: 'NO_POLICY', rule: '$', message: 'the agent has no policy yet; an owner must set one' },
    ],
    reservations: [],
    effective: {
      asset: intent.asset,
      amount: intent.amount.toString(),
      recipient: intent.recipient.toLowerCase(),
    },
    explanation: [{ rule: '$', kind: 'policy', result: 'fail', detail: 'no policy' }],
  }
}

export type DecideIntentParameters = {
  agentId: string
  agentStatus: 'active' | 'paused' | 'deleted'
  intent: PolicyIntent
  /** The stored version in force, or a draft (dry-run, replay). */
  policy: { version: number } | { draft: CompiledPolicy } | null
  breaker?: { tripped: boolean; scope?: 'agent' | 'global'; reason?: string }
  now?: Date
}

/** What the store must read for this policy and intent (only what the policy's rules need). */
export function usageQueryFor(policy: CompiledPolicy, intent: PolicyIntent): UsageQuery {
  const request = usageRequest(policy, intent)
  return {
    spend: request.spend,
    usdWindows: request.usdWindows,
    countWindows: request.countWindows,
    ...(request.recipientHistory ? { recipient: request.recipient } : {}),
  }
}

export function evaluateWithUsage(
  ctx: ServerContext,
  policy: CompiledPolicy,
  params: Pick<DecideIntentParameters, 'intent' | 'agentStatus' | 'breaker' | 'now'>,
  usage: UsageRead,
): Decision {
  return evaluatePolicy(policy, params.intent, usage, {
    now: params.now ?? new Date(),
    agentStatus: params.agentStatus,
    breaker: params.breaker ?? { tripped: false },
    prices: priceSource(ctx),
  })
}

export async function decideIntent(
  ctx: ServerContext,
  tx: Sql,
  params: DecideIntentParameters,
): Promise<DecideIntentReturnType> {
  if (params.policy === null)
    return { decision: noPolicyDecision(params.intent), policyVersion: null, policy: null }
  const policy =
    'draft' in params.policy
      ? params.policy.draft
      : await loadCompiled(tx, params.agentId, params.policy.version)
  const usage = await readUsage(tx, params.agentId, usageQueryFor(policy, params.intent))
  const decision = evaluateWithUsage(ctx, policy, params, usage)
  return { decision, policyVersion: 'version' in params.policy ? params.policy.version : null, policy }
}

/** The policy in force for an agent now, compiled (cached), or null when it has none. */
export async function currentCompiledPolicy(tx: Sql, agentId: string): Promise<CompiledPolicy | null> {
  const [row] = await tx.query<{ version: number | null }>(
    'select max(version) as version from policies where agent_id = $1',
    [agentId],
  )
  return row?.version == null ? null : loadCompiled(tx, agentId, row.version)
}
