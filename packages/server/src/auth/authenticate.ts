/**
 * Resolves the credential of a request to who is calling: an agent (API key), a member of an organisation (a
 * person's session or a service token, with a role), or a signed-in person who is not acting in an organisation.
 */
import type { MemberRole } from '@bursar/core/approvals'
import { BursarError } from '@bursar/core/errors'
import {
  findApiKey,
  findServiceToken,
  findSession,
  getAccount,
  listMemberships,
  type SessionRow,
  secretKind,
} from '@bursar/store'
import type { FastifyRequest } from 'fastify'
import type { ServerContext } from '../context.ts'
import { readSessionCookie } from './sessionCookie.ts'

/** Who an audit entry names as having acted. */
export type Actor = { type: 'account' | 'service_token'; id: string }

export type AgentPrincipal = {
  type: 'agent'
  agentId: string
  orgId: string
  keyId: string
  agentStatus: string
}

/** A person with a live session, in no organisation (none chosen, or none joined yet). */
export type AccountPrincipal = {
  type: 'account'
  accountId: string
  session: SessionRow
  /** True when the session came from the cookie: unsafe methods must then pass the Origin check. */
  viaCookie: boolean
  instanceAdmin: boolean
  actor: Actor
}

/** Acts in one organisation with one role: a person's session (account and session set) or a service token. */
export type MemberPrincipal = {
  type: 'member'
  orgId: string
  role: MemberRole
  instanceAdmin: boolean
  actor: Actor
  accountId: string | null
  session: SessionRow | null
  viaCookie: boolean
  tokenId: string | null
}

export type Principal = AgentPrincipal | AccountPrincipal | MemberPrincipal

/** The header a person in several organisations names the one they act in with (default: the first joined). */
const organisationHeader = 'bursar-organisation'

const principals = new WeakMap<FastifyRequest, Principal>()

export async function authenticate(ctx: ServerContext, request: FastifyRequest): Promise<Principal> {
  const cached = principals.get(request)
  if (cached) return cached
  const principal = await resolve(ctx, request)
  principals.set(request, principal)
  return principal
}

async function resolve(ctx: ServerContext, request: FastifyRequest): Promise<Principal> {
  const header = request.headers.authorization
  if (header === undefined) {
    const cookie = readSessionCookie(request)
    if (cookie !== undefined) return sessionPrincipal(ctx, request, cookie, true)
    throw new BursarError('UNAUTHENTICATED', 'missing Authorization: Bearer <api key>')
  }
  const secret = /^Bearer\s+(\S+)$/i.exec(header)?.[1]
  if (!secret) throw new BursarError('UNAUTHENTICATED', 'Authorization header must be "Bearer <api key>"')
  const kind = secretKind(secret)
  if (kind === 'session') return sessionPrincipal(ctx, request, secret, false)
  if (kind === 'service_token') {
    const token = await findServiceToken(ctx.db, secret)
    if (token) {
      return {
        type: 'member',
        orgId: token.org_id,
        role: token.role,
        instanceAdmin: token.instance_admin,
        actor: { type: 'service_token', id: token.id },
        accountId: null,
        session: null,
        viaCookie: false,
        tokenId: token.id,
      }
    }
  } else if (kind === 'agent_key') {
    const key = await findApiKey(ctx.db, secret)
    if (key) return { type: 'agent', ...key }
  }
  // One answer for unknown, revoked and malformed keys: nothing to learn by probing.
  throw new BursarError('INVALID_API_KEY', 'the API key is not valid (unknown or revoked)')
}

async function sessionPrincipal(
  ctx: ServerContext,
  request: FastifyRequest,
  secret: string,
  viaCookie: boolean,
): Promise<AccountPrincipal | MemberPrincipal> {
  const session = await findSession(ctx.db, secret)
  const account = session && (await getAccount(ctx.db, session.account_id))
  if (!session || !account) throw new BursarError('SESSION_EXPIRED', 'the session has ended: log in again')
  const actor: Actor = { type: 'account', id: account.id }
  const base = { accountId: account.id, session, viaCookie, instanceAdmin: account.instance_admin, actor }
  const memberships = await listMemberships(ctx.db, account.id)
  const wanted = request.headers[organisationHeader]
  const chosen =
    typeof wanted === 'string'
      ? memberships.find((membership) => membership.org_id === wanted)
      : [...memberships].sort((a, b) => a.created_at.getTime() - b.created_at.getTime())[0]
  // Naming an organisation one is not a member of looks like naming one that does not exist.
  if (typeof wanted === 'string' && chosen === undefined)
    throw new BursarError('ROLE_FORBIDDEN', 'this account is not a member of that organisation', {
      details: { required: 'viewer' },
    })
  if (chosen === undefined) return { type: 'account', ...base }
  return { type: 'member', orgId: chosen.org_id, role: chosen.role, tokenId: null, ...base }
}
