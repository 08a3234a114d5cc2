/** Evaluates an intent against an agent's policy with usage read inside the caller's transaction. */
import type { EffectiveIntent } from '@bursar/core/chains'
import { BursarError, isBursarError } from '@bursar/core/errors'
import {
  type CompiledPolicy,
  type Decision,
  evaluatePolicy,
  type PriceSource,
  usageRequest,
  validatePolicy,
} from '@bursar/core/policy'
import {
  getCurrentPolicyVersion,
  getPolicyVersion,
  readUsage,
  type Sql,
  type UsageQuery,
  type UsageRead,
} from '@bursar/store'
import type { ServerContext } from '../context.ts'
import { checkPolicyVersion } from '../integrity/policyMac.ts'

export type LoadedPolicy = { version: number; policy: CompiledPolicy; documentHash: string }

export type DecideIntentReturnType = {
  decision: Decision
  policyVersion: number | null
  policy: CompiledPolicy | null
}

// Compiling a policy (Cedar included) costs far more than evaluating it; versions are immutable, so cache them.
const compiled = new Map<string, LoadedPolicy>()

/**
 * Compiles a stored policy. One saved under an older Bursar may break a rule added since (a bound on Cedar rule
 * sets, say): it decides nothing, and says so, until an owner sets a new version.
 */
function compilePolicyDocument(document: unknown, version?: number): CompiledPolicy {
  const result = validatePolicy(document)
  if (!result.ok) {
    throw new BursarError(
      'POLICY_OUTDATED',
      `the agent's policy${version === undefined ? '' : ` (version ${version})`} no longer validates under this Bursar's rules; an owner must set a new one`,
      { details: { issues: result.issues.map((issue) => `${issue.path}: ${issue.message}`) } },
    )
  }
  return result.policy
}

/** A stored policy version that does not match its seal: changed in the database, outside Bursar. */
export class PolicyTamperedError extends BursarError {
  constructor(
    readonly agentId: string,
    readonly version: number,
  ) {
    super('INTERNAL', `policy version ${version} of agent ${agentId} was changed outside Bursar`, {
      details: { agent_id: agentId, version },
    })
  }
}

/** The policy version, compiled, after checking its seal (hash and MAC); cached once checked. */
export async function loadPolicy(
  ctx: ServerContext,
  tx: Sql,
  agentId: string,
  version: number,
): Promise<LoadedPolicy> {
  const key = `${agentId}:${version}`
  let loaded = compiled.get(key)
  if (!loaded) {
    const stored = await getPolicyVersion(tx, agentId, version)
    if (!stored) throw new Error(`policy ${key} is missing`)
    const documentHash = checkPolicyVersion(ctx.keystore, stored)
    if (documentHash === undefined) throw new PolicyTamperedError(agentId, version)
    loaded = { version, policy: compilePolicyDocument(stored.document, version), documentHash }
    if (compiled.size > 10_000) compiled.clear()
    compiled.set(key, loaded)
  }
  return loaded
}

export function priceSource(ctx: ServerContext): PriceSource {
  return (asset) => {
    const price = ctx.config.prices[asset]
    return price ? { usdMicrosPerUnit: BigInt(price.usdMicrosPerUnit), decimals: price.decimals } : undefined
  }
}

export function noPolicyDecision(intent: EffectiveIntent): Decision {
  const decision = evaluatePolicy(compilePolicyDocument({}), intent, emptyRead(), {
    now: new Date(0),
    agentStatus: 'active',
    breaker: { tripped: false },
  })
  return {
    outcome: 'deny',
    reasons: [
      { code: 'NO_POLICY', rule: '$', message: 'the agent has no policy yet; an owner must set one' },
    ],
    reservations: [],
    effective: decision.effective,
    explanation: [{ rule: '$', kind: 'policy', result: 'fail', detail: 'no policy' }],
  }
}

function emptyRead(): UsageRead {
  return {
    spend: new Map(),
    fees: new Map(),
    usdMicros: new Map(),
    counts: new Map(),
    knownRecipients: new Set(),
  }
}

export type DecideIntentParameters = {
  agentId: string
  agentStatus: 'active' | 'paused' | 'deleted'
  intent: EffectiveIntent
  /** The stored version in force, or a draft (dry-run, replay). */
  policy: { version: number } | { draft: CompiledPolicy } | null
  breaker?: { tripped: boolean; scope?: 'agent' | 'global'; reason?: string }
  now?: Date
}

/** What the store must read for this policy and intent (only what the policy's rules need). */
export function usageQueryFor(policy: CompiledPolicy, intent: EffectiveIntent): UsageQuery {
  const request = usageRequest(policy, intent)
  return {
    spend: request.spend,
    ...(request.fees.length > 0 ? { fees: request.fees } : {}),
    usdWindows: request.usdWindows,
    countWindows: request.countWindows,
    ...(request.recipientHistory ? { recipients: request.recipients } : {}),
  }
}

export function evaluateWithUsage(
  ctx: ServerContext,
  policy: CompiledPolicy,
  params: Pick<DecideIntentParameters, 'intent' | 'agentStatus' | 'breaker' | 'now'>,
  usage: UsageRead,
): Decision {
  const entry = ctx.networks.get(params.intent.network)
  return evaluatePolicy(policy, params.intent, usage, {
    now: params.now ?? new Date(),
    agentStatus: params.agentStatus,
    breaker: params.breaker ?? { tripped: false },
    prices: priceSource(ctx),
    ...(entry ? { defaultFeeCap: entry.adapter.defaultFeeCap } : {}),
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
      : (await loadPolicy(ctx, tx, params.agentId, params.policy.version)).policy
  const usage = await readUsage(tx, params.agentId, usageQueryFor(policy, params.intent))
  const decision = evaluateWithUsage(ctx, policy, params, usage)
  return { decision, policyVersion: 'version' in params.policy ? params.policy.version : null, policy }
}

/** The policy in force for an agent now, compiled (cached), or null when it has none or it was tampered with. */
export async function currentCompiledPolicy(
  ctx: ServerContext,
  tx: Sql,
  agentId: string,
): Promise<CompiledPolicy | null> {
  const version = await getCurrentPolicyVersion(tx, agentId)
  if (version === null) return null
  try {
    return (await loadPolicy(ctx, tx, agentId, version)).policy
  } catch (error) {
    if (error instanceof PolicyTamperedError) return null
    if (isBursarError(error) && error.code === 'POLICY_OUTDATED') return null
    throw error
  }
}
