/** Tells a failure of the path to an RPC endpoint (try another one) from an answer of the node (pass it on). */
import { errorChain, errorName } from '../errors/errorChain.ts'
import { isTransportError } from '../errors/rpcUnavailableError.ts'

/**
 * True when no JSON-RPC answer came back, or the endpoint refused to serve: connection refused or reset, a timeout,
 * an HTTP error without a JSON-RPC body, HTTP 429 or 5xx (with any body), a JSON-RPC rate limit. False for a
 * JSON-RPC error from a live node ("nonce too low", "execution reverted"): another node would answer the same, and
 * the caller must see the node's own words.
 *
 * @example
 * isEndpointFailure(new HttpRequestError({ url, status: 503 })) // true
 * isEndpointFailure(new InvalidInputRpcError(new Error('nonce too low'))) // false
 */
export function isEndpointFailure(error: unknown): boolean {
  return isTransportError(error) || gatewayStatus(error) !== undefined
}

/** The HTTP status of a JSON-RPC error that came with HTTP 429 or 5xx: a gateway or provider in trouble, not the node. */
export function gatewayStatus(error: unknown): number | undefined {
  for (const link of errorChain(error)) {
    if (errorName(link) !== 'RpcRequestError') continue
    const status = (link as { status?: unknown }).status
    if (typeof status === 'number' && (status === 429 || status >= 500)) return status
  }
  return undefined
}
