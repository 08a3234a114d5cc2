/** A transport failure the pool makes itself, in the shape the adapter's error classifiers read as RPC_UNAVAILABLE. */
import { HttpRequestError } from 'viem'

export type TransportFailureParameters = {
  /** What `details.reason` of the RPC_UNAVAILABLE error will say when no HTTP status does. */
  reason: string
  /** The HTTP status of the answer that failed, if there was one. */
  status?: number | undefined
  /** The error it stands for; kept for debugging, never shown (its message may hold the URL). */
  cause?: unknown
}

/**
 * For failures that no viem transport error describes: every endpoint out of service, an endpoint whose chain id
 * cannot be read, a gateway's HTTP 503 that carried a JSON-RPC body. The URL is never part of it.
 *
 * @example
 * throw transportFailure({ reason: 'no_usable_endpoint' }) // → RPC_UNAVAILABLE, details.reason 'no_usable_endpoint'
 */
export function transportFailure(parameters: TransportFailureParameters): HttpRequestError {
  // rpcUnavailableError takes details.reason from the first `code` string down the cause chain.
  const reason = Object.assign(new Error(parameters.reason), { code: parameters.reason })
  if (parameters.cause !== undefined) reason.cause = parameters.cause
  return new HttpRequestError({
    url: '[rpc endpoint]',
    details: parameters.reason,
    status: parameters.status,
    cause: reason,
  })
}
