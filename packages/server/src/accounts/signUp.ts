/**
 * Sign-up. On an instance with no organisation yet, the first person makes one and is its admin and the instance
 * admin. Everyone else joins by invitation, with the invitation's organisation and role; the instance's first person
 * after setup (`npm start`, `bursar owner create`, an upgrade from owners) is invited with the setup token, whose
 * invitation may also carry the instance admin role. Nobody gets in, or becomes instance admin, by being first.
 */
import { BursarError } from '@bursar/core/errors'
import {
  acceptInvitation,
  appendAudit,
  findInvitation,
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

const invalidInvitation = () =>
  new BursarError(
    'INVITATION_INVALID',
    'the invitation is unknown, expired, revoked, used, or for another email',
  )

export async function signUp(
  ctx: ServerContext,
  request: FastifyRequest,
  parameters: SignUpParameters,
): Promise<OpenSessionReturnType> {
  // Refusals that need no password come first, and cost nothing: no hashing for a closed door.
  const invitation =
    parameters.invitation === undefined ? undefined : await findInvitation(ctx.db, parameters.invitation)
  if (parameters.invitation !== undefined) {
    if (!invitation || invitation.email.toLowerCase() !== parameters.email.toLowerCase())
      throw invalidInvitation()
  } else if ((await firstOrganisation(ctx.db)) !== undefined) {
    throw new BursarError('SIGN_UP_CLOSED', 'sign-up is by invitation: ask an admin of your organisation')
  }
  const hashed = await hashPassword(parameters.password)
  if (!hashed.ok) throw passwordError(hashed.reason)
  return ctx.db.transaction(async (tx) => {
    if (parameters.invitation === undefined) {
      // Checked again under the sign-up lock (insertAccount): two first sign-ups racing make one organisation.
      const account = await insertAccount(tx, {
        email: parameters.email,
        passwordHash: hashed.phc,
        instanceAdmin: true,
      })
      if (!account) throw new BursarError('EMAIL_TAKEN', 'an account with this email exists: log in instead')
      if ((await firstOrganisation(tx)) !== undefined || !account.instance_admin)
        throw new BursarError('SIGN_UP_CLOSED', 'sign-up is by invitation: ask an admin of your organisation')
      const organisation = await insertOrganisation(tx, parameters.organisation_name ?? 'My organisation')
      await insertMembership(tx, { orgId: organisation.id, accountId: account.id, role: 'admin' })
      return finish(account, organisation.id, 'admin')
    }
    const account = await insertAccount(tx, {
      email: parameters.email,
      passwordHash: hashed.phc,
      instanceAdmin: invitation!.instance_admin,
    })
    if (!account) throw new BursarError('EMAIL_TAKEN', 'an account with this email exists: log in instead')
    const accepted = await acceptInvitation(tx, { secret: parameters.invitation, accountId: account.id })
    if (!accepted) throw invalidInvitation()
    return finish(account, accepted.membership.org_id, accepted.membership.role)

    async function finish(
      account: NonNullable<Awaited<ReturnType<typeof insertAccount>>>,
      org: string,
      as: string,
    ) {
      await appendAudit(tx, [
        {
          actor: { type: 'account', id: account.id },
          action: 'member.joined',
          subject: { type: 'organisation', id: org },
          data: { account_id: account.id, role: as, instance_admin: account.instance_admin },
        },
      ])
      return openSession(tx, request, account, { mode: parameters.session, steppedUp: false })
    }
  })
}
