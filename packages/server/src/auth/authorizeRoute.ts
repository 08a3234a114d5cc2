/**
 * Decides, before the body is read, whether the caller may use a route: the credential kind and role the route's
 * `access` names, the Origin check for cookie sessions that change something, and step-up for sensitive routes.
 */
import type { MemberRole } from '@bursar/core/approvals'
import { BursarError, isBursarError } from '@bursar/core/errors'
import { appendAudit } from '@bursar/store'
import type { FastifyRequest } from 'fastify'
import type { ServerContext } from '../context.ts'
import type { Route } from '../http/Route.ts'
import { authenticate, type Principal } from './authenticate.ts'
import { checkOrigin } from './checkOrigin.ts'
import { requireOperator } from './requireOperator.ts'
import { requireStepUp } from './requireStepUp.ts'

const rank: Record<MemberRole, number> = { viewer: 0, approver: 1, admin: 2 }

export async function authorizeRoute(
  ctx: ServerContext,
  route: Route,
  request: FastifyRequest,
): Promise<Principal | null> {
  if (route.access === 'none') return null
  if (route.access === 'operator') {
    requireOperator(ctx, request)
    return null
  }
  const principal = await authenticate(ctx, request)
  try {
    checkAccess(ctx, route, request, principal)
  } catch (error) {
    // Someone known tried what they may not: that is in the audit log, not only in a response.
    if (isBursarError(error)) await auditRefusal(ctx, route, principal, error.code)
    throw error
  }
  return principal
}

function checkAccess(ctx: ServerContext, route: Route, request: FastifyRequest, principal: Principal): void {
  if (principal.type !== 'agent' && principal.viaCookie) checkOrigin(request, ctx.config.publicOrigins ?? [])
  switch (route.access) {
    case 'agent':
      if (principal.type !== 'agent')
        throw new BursarError('FORBIDDEN', 'this endpoint takes an agent API key')
      break
    case 'any':
      if (principal.type === 'account') requireMember(principal, 'viewer')
      break
    case 'session':
      if (principal.type === 'agent' || principal.session === null)
        throw new BursarError('FORBIDDEN', 'this endpoint is for a signed-in person (a session), not a token')
      break
    case 'instance_admin':
      if (principal.type === 'agent') throw agentRefused()
      if (!principal.instanceAdmin)
        throw new BursarError(
          'INSTANCE_ADMIN_REQUIRED',
          'only the instance admin may trip or reset the global halt',
        )
      break
    default:
      requireMember(principal, route.access as MemberRole)
  }
  if (route.stepUp && principal.type !== 'agent' && principal.session !== null)
    requireStepUp(principal.session)
}

// One audit entry per credential, route and code a minute, per process, with the count of the ones left out: a key
// hammering a route it may not use must not grow the (unprunable, hash-chained) log at request rate.
const refusalWindowMs = 60_000
const recentRefusals = new Map<string, { until: number; suppressed: number }>()

async function auditRefusal(
  ctx: ServerContext,
  route: Route,
  principal: Principal,
  code: string,
): Promise<void> {
  const who = principal.type === 'agent' ? principal.keyId : principal.actor.id
  const key = `${who}|${route.method} ${route.path}|${code}`
  const now = Date.now()
  const recent = recentRefusals.get(key)
  if (recent !== undefined && recent.until > now) {
    recent.suppressed++
    return
  }
  if (recentRefusals.size > 10_000) recentRefusals.clear()
  recentRefusals.set(key, { until: now + refusalWindowMs, suppressed: 0 })
  const suppressed = recent?.suppressed ?? 0
  const subject =
    principal.type === 'agent'
      ? { type: 'agent', id: principal.agentId }
      : principal.type === 'member'
        ? { type: 'organisation', id: principal.orgId }
        : { type: 'account', id: principal.accountId }
  await appendAudit(ctx.db, [
    {
      actor: principal.type === 'agent' ? { type: 'agent', id: principal.agentId } : principal.actor,
      action: 'access.refused',
      subject,
      data: { route: `${route.method} ${route.path}`, code, ...(suppressed > 0 ? { suppressed } : {}) },
    },
  ])
}

function requireMember(principal: Principal, required: MemberRole): void {
  if (principal.type === 'agent') throw agentRefused()
  if (principal.type === 'account')
    throw new BursarError('ROLE_FORBIDDEN', 'this account is not a member of any organisation yet', {
      details: { required },
    })
  if (rank[principal.role] < rank[required])
    throw new BursarError(
      'ROLE_FORBIDDEN',
      `this needs the ${required} role; the caller is ${principal.role}`,
      {
        details: { required },
      },
    )
}

const agentRefused = () =>
  new BursarError(
    'FORBIDDEN',
    'this endpoint takes an owner credential (a session or a service token); agents cannot call it',
  )
