/**
 * Every RPC of every network must report the chain id the configuration names before anything is signed on it: a node
 * of another chain would receive transactions signed for this one. A mismatch found at start stops Bursar; an RPC
 * that does not answer at start is checked again before the first signature on that network.
 */
import { createEvmAdapter } from '@bursar/chains/evm'
import { BursarError, isBursarError } from '@bursar/core/errors'
import type { EvmNetwork } from '@bursar/core/networks'

/** Checks each RPC of `network`; throws CHAIN_ID_MISMATCH, or RPC_UNAVAILABLE when one does not answer. */
export async function verifyChainId(network: EvmNetwork): Promise<void> {
  const reports = await Promise.all(
    network.rpcUrls.map((rpcUrl) => createEvmAdapter({ ...network, rpcUrls: [rpcUrl] }).getChainId()),
  )
  const wrong = reports.findIndex((reported) => reported !== network.chainId)
  if (wrong >= 0) {
    throw new BursarError(
      'CHAIN_ID_MISMATCH',
      `network "${network.name}" is configured with chain id ${network.chainId} but RPC #${wrong + 1} reports ${reports[wrong]}`,
      { details: { network: network.name, configured: network.chainId, reported: reports[wrong] } },
    )
  }
}

/** At start: mismatches are fatal (all of them reported at once); the names of unreachable networks are returned. */
export async function checkChainIds(networks: readonly EvmNetwork[]): Promise<string[]> {
  const mismatches: string[] = []
  const unreachable: string[] = []
  await Promise.all(
    networks.map(async (network) => {
      try {
        await verifyChainId(network)
      } catch (error) {
        if (isBursarError(error) && error.code === 'CHAIN_ID_MISMATCH') mismatches.push(error.message)
        else unreachable.push(network.name)
      }
    }),
  )
  if (mismatches.length > 0) {
    throw new BursarError('CHAIN_ID_MISMATCH', `refusing to start:\n  - ${mismatches.join('\n  - ')}`, {
      details: { problems: mismatches },
    })
  }
  return unreachable
}
