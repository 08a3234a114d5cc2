/** The running instance's view of each configured network: its adapter, its chain identity, its fee default. */
import { createEvmAdapter } from '@bursar/chains/evm'
import { chainKeyOf, defaultFeeCapOf, type EvmNetwork } from '@bursar/core/networks'
import type { NetworkEntry } from '../context.ts'
import { verifyChainId } from './checkChainIds.ts'

export function networkEntries(networks: readonly EvmNetwork[]): Map<string, NetworkEntry> {
  return new Map(
    networks.map((network) => {
      let verified: Promise<void> | undefined
      const chainKey = chainKeyOf(network)
      const entry: NetworkEntry = {
        network,
        adapter: createEvmAdapter(network),
        chainKey,
        sameChain: networks.filter((other) => chainKeyOf(other) === chainKey).map((other) => other.name),
        defaultFeeCap: defaultFeeCapOf(network),
        ensureChainId() {
          verified ??= verifyChainId(network).catch((error) => {
            verified = undefined
            throw error
          })
          return verified
        },
      }
      return [network.name, entry]
    }),
  )
}
