/** The WebAuthn relying party of this server: the first configured public origin, or the origin the request names. */
import type { FastifyRequest } from 'fastify'
import type { ServerContext } from '../context.ts'
import type { RelyingParty } from './passkeys/RelyingParty.ts'

export function relyingParty(ctx: ServerContext, request: FastifyRequest): RelyingParty {
  const origin =
    ctx.config.publicOrigins?.[0] ?? `${request.protocol}://${request.headers.host ?? 'localhost'}`
  return { id: new URL(origin).hostname, name: 'Bursar', origin }
}
