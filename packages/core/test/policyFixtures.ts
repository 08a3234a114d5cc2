/** Shared fixtures for the policy tests: addresses, effective-intent builders, a fixed Monday and a one-call evaluate. */
import type { Effect, EffectiveIntent } from '../src/chains/EffectiveIntent.ts'
import type { CompiledPolicy } from '../src/policy/CompiledPolicy.ts'
import type { Decision } from '../src/policy/Decision.ts'
import type { EvaluationContext } from '../src/policy/EvaluationContext.ts'
import { emptyUsage } from '../src/policy/emptyUsage.ts'
import { evaluatePolicy } from '../src/policy/evaluatePolicy.ts'
import type { Usage } from '../src/policy/Usage.ts'
import { validatePolicy } from '../src/policy/validatePolicy.ts'

export const alice = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8'
/** Mixed case on purpose: policies may name addresses in any case; intents carry the canonical (lowercase) form. */
export const bob = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC'
export const carol = '0x90f79bf6eb2c4f870365e785982e1f101e93b906'
export const token = '0x5fbdb2315678afecb367f032d93f642f64180aa3'
export const tokenAsset = `anvil:${token}`
export const router = '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512'
export const transferSelector = '0xa9059cbb'
export const approveSelector = '0x095ea7b3'

/** 2024-01-01 was a Monday. */
export const mondayNoon = new Date('2024-01-01T12:00:00Z')

export function compile(document: unknown): CompiledPolicy {
  const result = validatePolicy(document)
  if (!result.ok) throw new Error(`invalid test policy: ${JSON.stringify(result.issues)}`)
  return result.policy
}

const lower = (address: string) => address.toLowerCase()

/** A plain native transfer, as the EVM adapter reads one. */
export function nativeTransfer(to: string, value: bigint): EffectiveIntent {
  return {
    agentId: 'agent-1',
    network: 'anvil',
    type: 'transfer',
    target: lower(to),
    value,
    selectors: [],
    effects: [{ kind: 'transfer', asset: 'anvil:native', amount: value, to: lower(to) }],
    unvalued: [],
    targetIsToken: false,
    submitted: { asset: 'anvil:native', amount: value, recipient: lower(to) },
  }
}

/** An ERC-20 transfer request: transfer(to, amount) on the token. */
export function tokenTransfer(to: string, amount: bigint, tokenAddress: string = token): EffectiveIntent {
  const asset = `anvil:${lower(tokenAddress)}`
  return {
    agentId: 'agent-1',
    network: 'anvil',
    type: 'transfer',
    target: lower(tokenAddress),
    value: 0n,
    call: { selector: transferSelector, function: 'transfer' },
    selectors: [transferSelector],
    effects: [{ kind: 'transfer', asset, amount, to: lower(to), via: 'transfer' }],
    unvalued: [],
    targetIsToken: true,
    submitted: { asset, amount, recipient: lower(to) },
  }
}

/**
 * A call to a function the adapter does not know (a router's swap): nothing it moves is readable but `value`.
 * Only the first four bytes of `data` matter here; decoding known functions is the chain adapter's job (its tests).
 */
export function contractCall(to: string, data: string, value = 0n): EffectiveIntent {
  const selector = data.slice(0, 10)
  const effects: Effect[] =
    value > 0n ? [{ kind: 'transfer', asset: 'anvil:native', amount: value, to: lower(to) }] : []
  return {
    agentId: 'agent-1',
    network: 'anvil',
    type: 'call',
    target: lower(to),
    value,
    call: { selector: lower(selector) },
    selectors: [lower(selector)],
    effects,
    unvalued: [
      { selector: lower(selector), reason: `function ${lower(selector)} is not one the engine can value` },
    ],
    targetIsToken: false,
    submitted: { asset: 'anvil:native', amount: value, recipient: lower(to) },
  }
}

/** An ERC-20 approve(spender, amount) call on the token. */
export function approveCall(spender: string, amount: bigint, tokenAddress: string = token): EffectiveIntent {
  const asset = `anvil:${lower(tokenAddress)}`
  return {
    agentId: 'agent-1',
    network: 'anvil',
    type: 'call',
    target: lower(tokenAddress),
    value: 0n,
    call: { selector: approveSelector, function: 'approve' },
    selectors: [approveSelector],
    effects: [{ kind: 'approval', asset, amount, to: lower(spender), via: 'approve' }],
    unvalued: [],
    targetIsToken: true,
    submitted: { asset: 'anvil:native', amount: 0n, recipient: lower(tokenAddress) },
  }
}

/** Sends native `value` along with the intent's call, to its target (what the adapter reads from tx.value). */
export function withValue(intent: EffectiveIntent, value: bigint): EffectiveIntent {
  const paid: Effect = {
    kind: 'transfer',
    asset: `${intent.network}:native`,
    amount: value,
    to: intent.target,
  }
  return { ...intent, value, effects: [...intent.effects, paid] }
}

/** Adds a network fee effect (gas limit × max fee per gas, on EVM) to an intent. */
export function withFee(intent: EffectiveIntent, fee: bigint): EffectiveIntent {
  return {
    ...intent,
    effects: [...intent.effects, { kind: 'fee', asset: `${intent.network}:native`, amount: fee }],
  }
}

function context(overrides: Partial<EvaluationContext> = {}): EvaluationContext {
  return { now: mondayNoon, agentStatus: 'active', breaker: { tripped: false }, ...overrides }
}

export function usageWith(parts: Partial<Usage>): Usage {
  return { ...emptyUsage(), ...parts }
}

export function evaluate(
  policy: CompiledPolicy | unknown,
  intent: EffectiveIntent,
  usage: Usage = emptyUsage(),
  overrides: Partial<EvaluationContext> = {},
): Decision {
  const compiled = isCompiled(policy) ? policy : compile(policy)
  return evaluatePolicy(compiled, intent, usage, context(overrides))
}

export function codes(decision: Decision): string[] {
  return decision.reasons.map((reason) => reason.code)
}

function isCompiled(value: unknown): value is CompiledPolicy {
  return typeof value === 'object' && value !== null && 'document' in value && 'rateLimits' in value
}
