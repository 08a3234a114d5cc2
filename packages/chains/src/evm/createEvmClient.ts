/** The viem public client an adapter talks through: every request goes through the network's endpoint pool. */
import { BursarError } from '@bursar/core/errors'
import type { EvmNetwork } from '@bursar/core/networks'
import { createPublicClient, type PublicClient } from 'viem'
import { createEndpointPool, type EndpointPool, type EndpointPoolOptions } from './rpc/createEndpointPool.ts'
import { endpointPoolTransport } from './rpc/endpointPoolTransport.ts'

export type EvmClientOptions = EndpointPoolOptions

export type EvmClient = {
  network: EvmNetwork
  publicClient: PublicClient
  /** The network's RPC endpoints: their state, the chain id check, and `close()` for the periodic one. */
  pool: EndpointPool
}

export function createEvmClient(network: EvmNetwork, options: EvmClientOptions = {}): EvmClient {
  if (network.rpcUrls.length === 0) {
    throw new BursarError('VALIDATION_FAILED', `Network ${network.name} has no RPC URL`, {
      details: { network: network.name },
    })
  }
  const pool = createEndpointPool(network, options)
  // cacheTime 0: confirmation tracking must see a new block as soon as the node has it.
  return {
    network,
    publicClient: createPublicClient({ transport: endpointPoolTransport(pool), cacheTime: 0 }),
    pool,
  }
}
