/** Reads the effects of EVM calldata on a target: which tokens move or are granted, to whom, and what stays unreadable. */
import type { Effect, EffectiveCall } from '@bursar/core/chains'
import { decodeFunctionData, type Hex } from 'viem'
import { maxUint256, tokenFunctions } from './tokenFunctions.ts'

export type DecodeEvmCallReturnType = {
  call: EffectiveCall
  /** The outer selector and every selector a multicall runs, in order. */
  selectors: string[]
  /** Token effects; the asset is the target itself (`${network}:${target}`). */
  effects: Effect[]
  unvalued: Array<{ selector: string; reason: string }>
  malformed?: string
}

// A multicall nested this deep, or running this many calls, is not something a wallet needs to sign. The caps also
// bound the work: ABI offsets may alias, so k offsets at each of d levels would otherwise decode k^d calls.
const maxDepth = 4
const maxCalls = 64

type Reading = { out: DecodeEvmCallReturnType; budget: number }

/**
 * @example
 * decodeEvmCall('anvil', usdc, encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [bob, 5n] }))
 * // { effects: [{ kind: 'transfer', asset: 'anvil:0x…usdc', amount: 5n, to: bob, via: 'transfer' }], … }
 */
export function decodeEvmCall(network: string, target: string, data: Hex): DecodeEvmCallReturnType {
  const out: DecodeEvmCallReturnType = {
    call: { selector: '' },
    selectors: [],
    effects: [],
    unvalued: [],
  }
  // Honest nesting holds each level's calls inside the level above, so no level decodes more than the calldata
  // itself: more than that in all means the calls alias one another, and decoding them would only burn CPU.
  const reading: Reading = { out, budget: (maxDepth + 1) * data.length }
  out.call = read(`${network}:${target.toLowerCase()}`, data, reading, 0)
  return out
}

function read(asset: string, data: Hex, reading: Reading, depth: number): EffectiveCall {
  const { out } = reading
  const selector = data.slice(0, 10).toLowerCase()
  if (out.selectors.length >= maxCalls) {
    out.malformed ??= `the calldata runs more than ${maxCalls} calls`
    return { selector }
  }
  out.selectors.push(selector)
  const known = selector.length === 10 ? tokenFunctions.get(selector) : undefined
  if (known === undefined) {
    const reason =
      selector.length < 10
        ? `calldata of ${(selector.length - 2) / 2} bytes is shorter than a function selector`
        : `function ${selector} is not one the engine can value`
    out.unvalued.push({ selector, reason })
    return { selector }
  }
  reading.budget -= data.length
  if (reading.budget < 0) {
    out.malformed ??= 'the calldata holds calls that overlap one another (aliased ABI offsets)'
    return { selector, function: known.name }
  }
  if (known.name === 'multicall' && depth >= maxDepth) {
    out.unvalued.push({ selector, reason: `a multicall nested more than ${maxDepth} deep` })
    return { selector, function: known.name }
  }
  let args: readonly unknown[]
  try {
    args = (decodeFunctionData({ abi: [known.abi], data }).args ?? []) as readonly unknown[]
  } catch {
    out.malformed ??= `calldata starts with the selector of ${known.name} but its arguments do not decode`
    return { selector, function: known.name }
  }
  const call: EffectiveCall = { selector, function: known.name }
  for (const effect of known.read(args)) {
    if (effect.kind === 'calls') {
      call.calls = []
      for (const inner of effect.data) {
        if (out.malformed !== undefined) break
        call.calls.push(read(asset, inner, reading, depth + 1))
      }
    } else if (effect.kind === 'approval') {
      const unlimited = effect.amount === 'unlimited'
      out.effects.push({
        kind: 'approval',
        asset,
        amount: unlimited ? maxUint256 : (effect.amount as bigint),
        to: effect.to,
        ...(unlimited ? { unlimited: true } : {}),
        via: known.name,
        selector,
      })
    } else {
      out.effects.push({
        kind: 'transfer',
        asset,
        amount: effect.amount,
        to: effect.to,
        via: known.name,
        selector,
      })
      if (effect.unvalued !== undefined) {
        out.unvalued.push({
          selector,
          reason: `${known.name} moves ${effect.unvalued}, which has no price or limit`,
        })
      }
    }
  }
  return call
}
