/** A network is data: the EVM adapter is code, each chain it talks to is one of these. */
import type { z } from 'zod'
import type { evmNetworkSchema, tokenDefinitionSchema } from './networkSchema.ts'

export type TokenDefinition = Omit<z.infer<typeof tokenDefinitionSchema>, 'address'> & {
  address: `0x${string}`
}

export type EvmNetwork = Omit<z.infer<typeof evmNetworkSchema>, 'tokens' | 'defaultMaxFee'> & {
  /** Stable name agents use in intents, e.g. "anvil" or "base-sepolia". */
  name: string
  /** Blocks on top of the inclusion block before an intent counts as confirmed (1 = included). */
  confirmations: number
  tokens: TokenDefinition[]
  defaultMaxFee?: string | undefined
}

export type Network = EvmNetwork

/** The nonce and chain identity of a network: networks with the same chain share nonces. */
export function chainKeyOf(network: EvmNetwork): string {
  return `${network.family}:${network.chainId}`
}

/** The fee cap for policies that set none: the network's, else 0.01 of the native asset. */
export function defaultFeeCapOf(network: EvmNetwork): bigint {
  if (network.defaultMaxFee !== undefined) return BigInt(network.defaultMaxFee)
  return 10n ** BigInt(Math.max(network.nativeDecimals - 2, 0))
}
