/** Turns a validated intent request into the transaction it stands for, on a configured network. */
import { type EvmAdapter, encodeErc20Transfer, isValidEvmAddress } from '@bursar/chains/evm'
import { parseAmount } from '@bursar/core/amounts'
import type { IntentRequest } from '@bursar/core/api'
import { BursarError } from '@bursar/core/errors'
import type { EvmNetwork } from '@bursar/core/networks'
import type { PolicyIntent } from '@bursar/core/policy'
import { getAddress } from 'viem'
import type { ServerContext } from '../context.ts'

export type ResolvedIntent = {
  network: EvmNetwork
  adapter: EvmAdapter
  /** The transaction to sign. */
  tx: { to: `0x${string}`; value: bigint; data?: `0x${string}` }
  /** `${network}:native` or `${network}:${token address, lowercase}`. */
  asset: string
  amount: bigint
  recipient: `0x${string}`
}

export function resolveIntent(ctx: ServerContext, request: IntentRequest): ResolvedIntent {
  const entry = ctx.networks.get(request.network)
  if (!entry) {
    throw new BursarError('UNKNOWN_NETWORK', `network "${request.network}" is not configured`, {
      details: { network: request.network, known: [...ctx.networks.keys()] },
    })
  }
  const { network, adapter } = entry
  if (!isValidEvmAddress(request.to)) {
    throw new BursarError(
      'INVALID_ADDRESS',
      'to is not a valid address (mixed-case addresses must match their EIP-55 checksum)',
      {
        details: { field: 'to' },
      },
    )
  }
  // From here on the address is in its canonical checksummed form, whatever case it arrived in.
  const to = getAddress(request.to.toLowerCase())
  if (request.type === 'call') {
    const value = parseAmount(request.value ?? '0', 'value')
    return {
      network,
      adapter,
      tx: { to, value, data: request.data as `0x${string}` },
      asset: `${network.name}:native`,
      amount: value,
      recipient: to,
    }
  }
  const amount = parseAmount(request.amount)
  const assetName = request.asset ?? 'native'
  if (assetName === 'native' || assetName.toUpperCase() === network.nativeSymbol.toUpperCase()) {
    return {
      network,
      adapter,
      tx: { to, value: amount },
      asset: `${network.name}:native`,
      amount,
      recipient: to,
    }
  }
  const token = network.tokens.find(
    (candidate) =>
      candidate.symbol.toUpperCase() === assetName.toUpperCase() ||
      candidate.address.toLowerCase() === assetName.toLowerCase(),
  )
  if (!token) {
    throw new BursarError(
      'UNKNOWN_ASSET',
      `asset "${assetName}" is not configured on network "${network.name}"`,
      {
        details: { asset: assetName, network: network.name, known: network.tokens.map((t) => t.symbol) },
      },
    )
  }
  return {
    network,
    adapter,
    tx: { to: token.address, value: 0n, data: encodeErc20Transfer(to, amount) },
    asset: `${network.name}:${token.address.toLowerCase()}`,
    amount,
    recipient: to,
  }
}

export function toPolicyIntent(
  agentId: string,
  request: IntentRequest,
  resolved: ResolvedIntent,
): PolicyIntent {
  return {
    agentId,
    network: resolved.network.name,
    type: request.type,
    to: resolved.tx.to,
    value: resolved.tx.value,
    ...(resolved.tx.data === undefined ? {} : { data: resolved.tx.data }),
    asset: resolved.asset,
    amount: resolved.amount,
    recipient: resolved.recipient,
  }
}
