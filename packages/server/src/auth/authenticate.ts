/** Resolves the Bearer credential of a request to an agent (API key) or an owner (owner token). */
import { BursarError } from '@bursar/core/errors'
import { findApiKey, findOwnerByToken, secretKind } from '@bursar/store'
import type { FastifyRequest } from 'fastify'
import type { ServerContext } from '../context.ts'

export type Principal =
  | { type: 'agent'; agentId: string; ownerId: string; keyId: string; agentStatus: string }
  | { type: 'owner'; ownerId: string; tokenId: string }

const principals = new WeakMap<FastifyRequest, Principal>()

export async function authenticate(ctx: ServerContext, request: FastifyRequest): Promise<Principal> {
  const cached = principals.get(request)
  if (cached) return cached
  const header = request.headers.authorization
  if (!header) throw new BursarError('UNAUTHENTICATED', 'missing Authorization: Bearer <api key>')
  const match = /^Bearer\s+(\S+)$/i.exec(header)
  const secret = match?.[1]
  if (!secret) throw new BursarError('UNAUTHENTICATED', 'Authorization header must be "Bearer <api key>"')
  const kind = secretKind(secret)
  let principal: Principal | undefined
  if (kind === 'owner_token') {
    const owner = await findOwnerByToken(ctx.db, secret)
    if (owner) principal = { type: 'owner', ...owner }
  } else if (kind === 'agent_key') {
    const key = await findApiKey(ctx.db, secret)
    if (key) principal = { type: 'agent', ...key }
  }
  // One answer for unknown, revoked and malformed keys: nothing to learn by probing.
  if (!principal) throw new BursarError('INVALID_API_KEY', 'the API key is not valid (unknown or revoked)')
  principals.set(request, principal)
  return principal
}

export async function requireAgent(ctx: ServerContext, request: FastifyRequest) {
  const principal = await authenticate(ctx, request)
  if (principal.type !== 'agent') throw new BursarError('FORBIDDEN', 'this endpoint takes an agent API key')
  return principal
}

export async function requireOwner(ctx: ServerContext, request: FastifyRequest) {
  const principal = await authenticate(ctx, request)
  if (principal.type !== 'owner')
    throw new BursarError('FORBIDDEN', 'this endpoint takes an owner token; agents cannot call it')
  return principal
}
