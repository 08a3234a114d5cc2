/** A viem transport that sends every request through an endpoint pool (failover, retries, breakers). */
import { createTransport, type EIP1193RequestFn, type Transport } from 'viem'
import type { EndpointPool } from './createEndpointPool.ts'

/**
 * Retries are the pool's (retryCount 0 here), so viem never retries on top of them.
 *
 * @example
 * const publicClient = createPublicClient({ transport: endpointPoolTransport(pool) })
 */
export function endpointPoolTransport(pool: EndpointPool): Transport {
  const request = (({ method, params }: { method: string; params?: unknown }) =>
    pool.request({ method, params })) as EIP1193RequestFn
  return () =>
    createTransport({
      key: 'endpointPool',
      name: 'RPC endpoint pool',
      type: 'endpointPool',
      retryCount: 0,
      request,
    })
}
