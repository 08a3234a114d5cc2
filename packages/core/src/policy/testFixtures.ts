/** Shared fixtures for the policy tests: addresses, intent builders, a fixed Monday and a one-call evaluate. */
import { encodeFunctionData, erc20Abi } from 'viem'
import type { CompiledPolicy } from './CompiledPolicy.ts'
import type { Decision } from './Decision.ts'
import type { EvaluationContext } from './EvaluationContext.ts'
import { emptyUsage } from './emptyUsage.ts'
import { evaluatePolicy } from './evaluatePolicy.ts'
import type { PolicyIntent } from './PolicyIntent.ts'
import type { Usage } from './Usage.ts'
import { validatePolicy } from './validatePolicy.ts'

export const alice = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8'
/** Mixed case on purpose: address comparisons must not care. */
export const bob = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC'
export const carol = '0x90f79bf6eb2c4f870365e785982e1f101e93b906'
export const token = '0x5fbdb2315678afecb367f032d93f642f64180aa3'
export const tokenAsset = `anvil:${token}`
export const router = '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512'

/** 2024-01-01 was a Monday. */
export const mondayNoon = new Date('2024-01-01T12:00:00Z')

export function compile(document: unknown): CompiledPolicy {
  const result = validatePolicy(document)
  if (!result.ok) throw new Error(`invalid test policy: ${JSON.stringify(result.issues)}`)
  return result.policy
}

export function nativeTransfer(to: string, value: bigint): PolicyIntent {
  return {
    agentId: 'agent-1',
    network: 'anvil',
    type: 'transfer',
    to: to as `0x${string}`,
    value,
    asset: 'anvil:native',
    amount: value,
    recipient: to as `0x${string}`,
  }
}

export function tokenTransfer(to: string, amount: bigint, tokenAddress: string = token): PolicyIntent {
  return {
    agentId: 'agent-1',
    network: 'anvil',
    type: 'transfer',
    to: tokenAddress as `0x${string}`,
    value: 0n,
    data: encodeFunctionData({
      abi: erc20Abi,
      functionName: 'transfer',
      args: [to as `0x${string}`, amount],
    }),
    asset: `anvil:${tokenAddress.toLowerCase()}`,
    amount,
    recipient: to as `0x${string}`,
  }
}

export function contractCall(to: string, data: `0x${string}`, value = 0n): PolicyIntent {
  return {
    agentId: 'agent-1',
    network: 'anvil',
    type: 'call',
    to: to as `0x${string}`,
    value,
    data,
    asset: 'anvil:native',
    amount: value,
    recipient: to as `0x${string}`,
  }
}

export function approveCall(spender: string, amount: bigint, tokenAddress: string = token): PolicyIntent {
  const data = encodeFunctionData({
    abi: erc20Abi,
    functionName: 'approve',
    args: [spender as `0x${string}`, amount],
  })
  return contractCall(tokenAddress, data)
}

export function context(overrides: Partial<EvaluationContext> = {}): EvaluationContext {
  return { now: mondayNoon, agentStatus: 'active', breaker: { tripped: false }, ...overrides }
}

export function usageWith(parts: Partial<Usage>): Usage {
  return { ...emptyUsage(), ...parts }
}

export function evaluate(
  policy: CompiledPolicy | unknown,
  intent: PolicyIntent,
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
