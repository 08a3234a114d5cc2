/** A network is data: the EVM adapter is code, each chain it talks to is one of these. */

export type TokenDefinition = {
  symbol: string
  address: `0x${string}`
  decimals: number
}

export type EvmNetwork = {
  /** Stable name agents use in intents, e.g. "anvil" or "base-sepolia". */
  name: string
  family: 'evm'
  chainId: number
  rpcUrls: string[]
  nativeSymbol: string
  nativeDecimals: number
  /** Blocks on top of the inclusion block before an intent counts as confirmed (1 = included). */
  confirmations: number
  tokens: TokenDefinition[]
}

export type Network = EvmNetwork
