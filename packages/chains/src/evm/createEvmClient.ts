/** The viem public client an adapter talks through: one http transport per RPC URL, tried in order. */
import { BursarError } from '@bursar/core/errors'
import type { EvmNetwork } from '@bursar/core/networks'
import { createPublicClient, fallback, http, type PublicClient } from 'viem'

export type EvmClientOptions = {
  /** Per request and per URL. */
  timeoutMs?: number
  /** Rounds over all URLs after the first, with exponential backoff from 150 ms. */
  retryCount?: number
}

export type EvmClient = {
  network: EvmNetwork
  publicClient: PublicClient
}

export function createEvmClient(network: EvmNetwork, options: EvmClientOptions = {}): EvmClient {
  if (network.rpcUrls.length === 0) {
    throw new BursarError('VALIDATION_FAILED', `Network ${network.name} has no RPC URL`, {
      details: { network: network.name },
    })
  }
  const timeout = options.timeoutMs ?? 10_000
  const transport = fallback(
    // Batching folds the many small calls of concurrent intents (call, estimate, balance) into few HTTP requests.
    network.rpcUrls.map((url) => http(url, { timeout, retryCount: 0, batch: { batchSize: 64, wait: 0 } })),
    { retryCount: options.retryCount ?? 2 },
  )
  // cacheTime 0: confirmation tracking must see a new block as soon as the node has it.
  return { network, publicClient: createPublicClient({ transport, cacheTime: 0 }) }
}
