/**
 * Turns an intent request into the EVM transaction it stands for and the effective intent the policy engine judges:
 * what the bytes do, read back from the bytes themselves (even for transfers Bursar encoded itself).
 */
import { parseAmount } from '@bursar/core/amounts'
import type { IntentRequest } from '@bursar/core/api'
import type { Effect, EffectiveIntent } from '@bursar/core/chains'
import { BursarError } from '@bursar/core/errors'
import type { EvmNetwork } from '@bursar/core/networks'
import { type Address, getAddress, type Hex } from 'viem'
import { isValidEvmAddress } from '../address/isValidEvmAddress.ts'
import { encodeErc20Transfer } from '../erc20/encodeErc20Transfer.ts'
import { decodeEvmCall } from './decodeEvmCall.ts'

/** The transaction to sign, without what the executor assigns (nonce, gas, fees). */
type EvmCall = { to: Address; value: bigint; data?: Hex }

export type PrepareEvmIntentReturnType = { tx: EvmCall; effective: EffectiveIntent }

/**
 * @example
 * const { tx, effective } = prepareEvmIntent(network, 'agt_1', { type: 'transfer', network: 'anvil', to, amount: '5', asset: 'USDC' })
 * // tx.data = transfer(to, 5); effective.effects = [{ kind: 'transfer', asset: 'anvil:0x…', amount: 5n, to }]
 */
export function prepareEvmIntent(
  network: EvmNetwork,
  agentId: string,
  request: IntentRequest,
): PrepareEvmIntentReturnType {
  if (!isValidEvmAddress(request.to)) {
    throw new BursarError(
      'INVALID_ADDRESS',
      'to is not a valid address (mixed-case addresses must match their EIP-55 checksum)',
      { details: { field: 'to' } },
    )
  }
  // From here on the address is in its canonical checksummed form, whatever case it arrived in.
  const to = getAddress(request.to.toLowerCase())
  const native = `${network.name}:native`
  let tx: EvmCall
  let submitted: EffectiveIntent['submitted']
  if (request.type === 'call') {
    const value = parseAmount(request.value ?? '0', 'value')
    tx = { to, value, data: request.data as Hex }
    submitted = { asset: native, amount: value, recipient: to.toLowerCase() }
  } else {
    const amount = parseAmount(request.amount)
    const token = findToken(network, request.asset ?? 'native')
    tx =
      token === undefined
        ? { to, value: amount }
        : { to: token, value: 0n, data: encodeErc20Transfer(to, amount) }
    submitted = {
      asset: token === undefined ? native : `${network.name}:${token.toLowerCase()}`,
      amount,
      recipient: to.toLowerCase(),
    }
  }
  return { tx, effective: effectiveOf(network, agentId, request.type, tx, submitted) }
}

/** Reads a transaction's effects; also used to re-read what is about to be signed. */
function effectiveOf(
  network: EvmNetwork,
  agentId: string,
  type: EffectiveIntent['type'],
  tx: EvmCall,
  submitted: EffectiveIntent['submitted'],
): EffectiveIntent {
  const target = tx.to.toLowerCase()
  const effects: Effect[] = []
  const effective: EffectiveIntent = {
    agentId,
    network: network.name,
    type,
    target,
    value: tx.value,
    selectors: [],
    effects,
    unvalued: [],
    targetIsToken: network.tokens.some((token) => token.address.toLowerCase() === target),
    submitted,
  }
  if (tx.data !== undefined && tx.data.length > 2) {
    const decoded = decodeEvmCall(network.name, target, tx.data)
    effective.call = decoded.call
    effective.selectors = decoded.selectors
    effective.unvalued = decoded.unvalued
    if (decoded.malformed !== undefined) effective.malformed = decoded.malformed
    for (const effect of decoded.effects) effects.push(effect)
  }
  // Native value goes to the target whatever the calldata says; a plain transfer names its recipient even for 0.
  if (tx.value > 0n || effective.call === undefined) {
    effects.push({ kind: 'transfer', asset: `${network.name}:native`, amount: tx.value, to: target })
  }
  return effective
}

/** Adds the network fee ceiling (gas limit × max fee per gas) once the simulation has sized the gas. */
export function withEvmFee(network: EvmNetwork, effective: EffectiveIntent, maxFee: bigint): EffectiveIntent {
  const fee: Effect = { kind: 'fee', asset: `${network.name}:native`, amount: maxFee }
  return { ...effective, effects: [...effective.effects.filter((effect) => effect.kind !== 'fee'), fee] }
}

function findToken(network: EvmNetwork, name: string): Address | undefined {
  if (name === 'native' || name.toUpperCase() === network.nativeSymbol.toUpperCase()) return undefined
  const token = network.tokens.find(
    (candidate) =>
      candidate.symbol.toUpperCase() === name.toUpperCase() ||
      candidate.address.toLowerCase() === name.toLowerCase(),
  )
  if (token === undefined) {
    throw new BursarError('UNKNOWN_ASSET', `asset "${name}" is not configured on network "${network.name}"`, {
      details: { asset: name, network: network.name, known: network.tokens.map((t) => t.symbol) },
    })
  }
  return getAddress(token.address)
}
