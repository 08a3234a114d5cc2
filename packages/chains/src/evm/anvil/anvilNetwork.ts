/** The network definition of a local anvil chain (chain id 31337, one confirmation, no tokens). */
import type { EvmNetwork } from '@bursar/core/networks'

export function anvilNetwork(rpcUrl: string): EvmNetwork {
  return {
    name: 'anvil',
    family: 'evm',
    chainId: 31337,
    rpcUrls: [rpcUrl],
    nativeSymbol: 'ETH',
    nativeDecimals: 18,
    confirmations: 1,
    tokens: [],
  }
}
