/** Recognises a failure to reach the RPC and turns it into the one error callers retry on. */

import { BursarError } from '@bursar/core/errors'
import type { EvmNetwork } from '@bursar/core/networks'
import { errorChain, errorName } from './errorChain.ts'

// Failures of the path to the node rather than answers from it: the same request may succeed later.
const transportErrorNames = new Set([
  'HttpRequestError',
  'TimeoutError',
  'WebSocketRequestError',
  'SocketClosedError',
  'LimitExceededRpcError',
  'ResourceUnavailableRpcError',
])

export function isTransportError(error: unknown): boolean {
  return errorChain(error).some((link) => transportErrorNames.has(errorName(link) ?? ''))
}

/**
 * The message names the network, never the URL: RPC URLs carry API keys. The viem error is not kept as
 * `cause` for the same reason (its message embeds the URL); `details.reason` says what went wrong.
 */
export function rpcUnavailableError(network: EvmNetwork, error: unknown): BursarError {
  return new BursarError('RPC_UNAVAILABLE', `RPC for network ${network.name} is unreachable`, {
    details: { network: network.name, retryable: true, reason: transportReason(error) },
  })
}

function transportReason(error: unknown): string {
  const chain = errorChain(error)
  for (const link of chain) {
    const name = errorName(link)
    if (name === 'TimeoutError') return 'timeout'
    if (name === 'LimitExceededRpcError') return 'rate_limited'
    if (name === 'HttpRequestError' && typeof link === 'object' && link !== null && 'status' in link) {
      if (typeof link.status === 'number') return `http_${link.status}`
    }
  }
  // Node's fetch hides the socket error code (ECONNREFUSED, ENOTFOUND...) a few causes down.
  for (const link of chain) {
    if (typeof link === 'object' && link !== null && 'code' in link && typeof link.code === 'string') {
      return link.code
    }
  }
  return 'connection_failed'
}
