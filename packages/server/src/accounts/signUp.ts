/**
 * Sign-up: the instance's first account becomes instance admin and admin of the first organisation (made now when
 * there is none); everyone else joins by invitation, with the invitation's organisation and role.
 */
import { BursarError } from '@bursar/core/errors'
import {
  acceptInvitation,
  appendAudit,
  firstOrganisation,
  insertAccount,
  insertMembership,
  insertOrganisation,
} from '@bursar/store'
import type { FastifyRequest } from 'fastify'
import { hashPassword } from '../auth/passwords/hashPassword.ts'
import type { ServerContext } from '../context.ts'
import { type OpenSessionReturnType, openSession } from './openSession.ts'
import { passwordError } from './passwordError.ts'

export type SignUpParameters = {
  email: string
  password: string
  invitation?: string | undefined
  organisation_name?: string | undefined
  session: 'token' | 'cookie'
}

export async function signUp(
  ctx: ServerContext,
  request: FastifyRequest,
  parameters: SignUpParameters,
): Promise<OpenSessionReturnType> {
  const hashed = await hashPassword(parameters.password)
  if (!hashed.ok) throw passwordError(hashed.reason)
  return ctx.db.transaction(async (tx) => {
    const account = await insertAccount(tx, { email: parameters.email, passwordHash: hashed.phc })
    if (!account) throw new BursarError('EMAIL_TAKEN', 'an account with this email exists: log in instead')
    let joined: { orgId: string; role: string }
    if (parameters.invitation !== undefined) {
      const accepted = await acceptInvitation(tx, { secret: parameters.invitation, accountId: account.id })
      if (!accepted)
        throw new BursarError(
          'INVITATION_INVALID',
          'the invitation is unknown, expired, revoked, used, or for another email',
        )
      joined = { orgId: accepted.membership.org_id, role: accepted.membership.role }
    } else if (account.instance_admin) {
      const organisation =
        (await firstOrganisation(tx)) ??
        (await insertOrganisation(tx, parameters.organisation_name ?? 'My organisation'))
      await insertMembership(tx, { orgId: organisation.id, accountId: account.id, role: 'admin' })
      joined = { orgId: organisation.id, role: 'admin' }
    } else {
      throw new BursarError('SIGN_UP_CLOSED', 'sign-up is by invitation: ask an admin of your organisation')
    }
    await appendAudit(tx, [
      {
        actor: { type: 'account', id: account.id },
        action: 'member.joined',
        subject: { type: 'organisation', id: joined.orgId },
        data: { account_id: account.id, role: joined.role, instance_admin: account.instance_admin },
      },
    ])
    return openSession(tx, request, account, { mode: parameters.session, steppedUp: false })
  })
}
