import { describe, expect, test } from 'vitest'
import {
  alice,
  approveCall,
  approveSelector,
  carol,
  codes,
  compile,
  evaluate,
  token,
  tokenAsset,
  tokenTransfer,
  transferSelector,
  withValue,
} from '../../../test/policyFixtures.ts'
import { nodeCedarEngine } from '../../cedar-node/nodeCedarEngine.ts'
import type { Effect, EffectiveCall, EffectiveIntent } from '../../chains/EffectiveIntent.ts'
import { validatePolicy } from '../validatePolicy.ts'
import type { CedarEngine } from './CedarEngine.ts'

const multicallSelector = '0xac9650d8'

/** multicall(bytes[]) on the token, as the EVM adapter reads it: one inner call and its effect each. */
function multicall(inner: Array<{ call: EffectiveCall; effect: Effect }>): EffectiveIntent {
  return {
    agentId: 'agent-1',
    network: 'anvil',
    type: 'call',
    target: token,
    value: 0n,
    call: { selector: multicallSelector, function: 'multicall', calls: inner.map((part) => part.call) },
    selectors: [multicallSelector, ...inner.map((part) => part.call.selector)],
    effects: inner.map((part) => part.effect),
    unvalued: [],
    targetIsToken: true,
    submitted: { asset: 'anvil:native', amount: 0n, recipient: token },
  }
}

const transfer = (to: string, amount: bigint) => ({
  call: { selector: transferSelector, function: 'transfer' },
  effect: { kind: 'transfer' as const, asset: tokenAsset, amount, to, via: 'transfer' },
})
const approve = (spender: string, amount: bigint) => ({
  call: { selector: approveSelector, function: 'approve' },
  effect: { kind: 'approval' as const, asset: tokenAsset, amount, to: spender, via: 'approve' },
})

const forbid = (id: string, condition: string) => ({
  cedar: [{ id, policy: `forbid (principal, action, resource) when { ${condition} };` }],
})

describe('Cedar sees every selector the intent runs', () => {
  test('error: a forbid on an inner selector (context.selectors) denies approve alone and multicall([approve])', () => {
    const policy = compile(forbid('no-approve', `context.selectors.contains("${approveSelector}")`))
    expect(codes(evaluate(policy, approveCall(carol, 5n)))).toEqual(['CEDAR_FORBID'])
    expect(codes(evaluate(policy, multicall([approve(carol, 5n)])))).toEqual(['CEDAR_FORBID'])
    expect(codes(evaluate(policy, multicall([transfer(alice, 1n), approve(carol, 5n)])))).toEqual([
      'CEDAR_FORBID',
    ])
    expect(codes(evaluate(policy, multicall([transfer(alice, 1n)])))).toEqual([])
    expect(codes(evaluate(policy, tokenTransfer(alice, 1n)))).toEqual([])
  })

  test('context.selector is the outer call only: inside a multicall it is the multicall', () => {
    const outer = compile(forbid('outer', `context.selector == "${approveSelector}"`))
    expect(codes(evaluate(outer, approveCall(carol, 5n)))).toEqual(['CEDAR_FORBID'])
    expect(codes(evaluate(outer, multicall([approve(carol, 5n)])))).toEqual([])
    const multi = compile(forbid('multi', `context.selector == "${multicallSelector}"`))
    expect(codes(evaluate(multi, multicall([approve(carol, 5n)])))).toEqual(['CEDAR_FORBID'])
  })

  test('error: context.callSelector pairs each movement with the call that made it', () => {
    const intent = multicall([transfer(carol, 1n), approve(alice, 5n)])
    const approveTo = (who: string) =>
      compile(
        forbid('approve-to', `context.callSelector == "${approveSelector}" && context.recipient == "${who}"`),
      )
    expect(codes(evaluate(approveTo(alice), intent))).toEqual(['CEDAR_FORBID'])
    // Carol receives a transfer in the same multicall, not the approval.
    expect(codes(evaluate(approveTo(carol), intent))).toEqual([])
    expect(codes(evaluate(approveTo(alice), approveCall(alice, 5n)))).toEqual(['CEDAR_FORBID'])
  })

  test('context.callSelector is "" for native value and for a function name two selectors share', () => {
    const policy = compile(forbid('unknown-call', 'context.callSelector == ""'))
    expect(codes(evaluate(policy, tokenTransfer(alice, 1n)))).toEqual([])
    expect(codes(evaluate(policy, withValue({ ...tokenTransfer(alice, 1n), type: 'call' }, 5n)))).toEqual([
      'CEDAR_FORBID',
    ])
    const burn = (selector: string) => ({
      call: { selector, function: 'burn' },
      effect: {
        kind: 'transfer' as const,
        asset: tokenAsset,
        amount: 1n,
        to: '0x0000000000000000000000000000000000000000',
        via: 'burn',
      },
    })
    // burn(uint256) alone names its selector; with burn(uint256,bytes) beside it, which one moved what is unknown.
    expect(codes(evaluate(policy, multicall([burn('0x42966c68')])))).toEqual([])
    expect(codes(evaluate(policy, multicall([burn('0x42966c68'), burn('0xfe9d9303')])))).toEqual([
      'CEDAR_FORBID',
    ])
  })
})

describe('movements Cedar would see alike are decided once', () => {
  /** The node engine, counting the requests it decides. */
  function countingEngine(): { engine: CedarEngine; requests: () => number } {
    const real = nodeCedarEngine()
    let requests = 0
    const engine: CedarEngine = {
      parsePolicy: (id, text) => real.parsePolicy(id, text),
      isAuthorized: (request, policies) => {
        requests++
        return real.isAuthorized(request, policies)
      },
    }
    return { engine, requests: () => requests }
  }
  const compileWith = (document: unknown, engine: CedarEngine) => {
    const result = validatePolicy(document, { cedar: engine })
    if (!result.ok) throw new Error(JSON.stringify(result.issues))
    return result.policy
  }

  test('three identical transfers in one multicall are one request', () => {
    const { engine, requests } = countingEngine()
    const policy = compileWith(forbid('carol', `context.recipient == "${carol}"`), engine)
    const before = requests()
    const decision = evaluate(
      policy,
      multicall([transfer(alice, 1n), transfer(alice, 1n), transfer(alice, 1n)]),
    )
    expect(codes(decision)).toEqual([])
    expect(requests() - before).toBe(1)
  })

  test('movements that differ only in fields no rule mentions are one request; a mentioned difference is not', () => {
    const { engine, requests } = countingEngine()
    const intent = multicall([transfer(alice, 1n), transfer(alice, 2n), transfer(carol, 3n)])
    const byAsset = compileWith(forbid('asset', 'context.asset == "anvil:native"'), engine)
    let before = requests()
    expect(codes(evaluate(byAsset, intent))).toEqual([])
    expect(requests() - before).toBe(1)
    const byRecipient = compileWith(forbid('carol', `context.recipient == "${carol}"`), engine)
    before = requests()
    expect(codes(evaluate(byRecipient, intent))).toEqual(['CEDAR_FORBID'])
    expect(requests() - before).toBe(2)
  })
})
