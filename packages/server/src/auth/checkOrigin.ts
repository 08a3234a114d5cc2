/**
 * CSRF defence for cookie sessions: a request that can change something must come from a page of this server. The
 * browser sets Origin itself and a page of another site cannot forge it; a request without one is refused too.
 */
import { BursarError } from '@bursar/core/errors'
import type { FastifyRequest } from 'fastify'

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * @param allowed the configured public origin(s) of the server; when empty, the origin the request's Host names
 * (http or https as the connection was) is the only one accepted.
 */
export function checkOrigin(request: FastifyRequest, allowed: readonly string[]): void {
  if (safeMethods.has(request.method)) return
  const origin = request.headers.origin
  const own = `${request.protocol}://${request.headers.host ?? ''}`
  const accepted = allowed.length > 0 ? allowed : [own]
  if (typeof origin !== 'string' || !accepted.includes(origin)) {
    throw new BursarError(
      'CSRF_REFUSED',
      "a cookie-authenticated request that changes something must carry this server's Origin",
    )
  }
}
