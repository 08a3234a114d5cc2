/** People: sign-up, login and logout, sessions, password, TOTP enrolment and step-up. */
import {
  idParams,
  listOf,
  loginRequestSchema,
  loginResponseSchema,
  meResponseSchema,
  passwordChangeRequestSchema,
  recoveryCodesSchema,
  secondFactorSchema,
  sessionSchema,
  signUpRequestSchema,
  stepUpResponseSchema,
  totpConfirmRequestSchema,
  totpEnrolmentSchema,
  totpStartRequestSchema,
} from '@bursar/core/api'
import { BursarError } from '@bursar/core/errors'
import { getAccount, listMemberships, listSessions, markStepUp, revokeSession } from '@bursar/store'
import { z } from 'zod'
import { accountResponse, membershipResponse, sessionResponse } from '../accounts/accountResponses.ts'
import { changePassword } from '../accounts/changePassword.ts'
import { confirmTotp, startTotpEnrolment } from '../accounts/enrolTotp.ts'
import { logIn } from '../accounts/logIn.ts'
import type { OpenSessionReturnType } from '../accounts/openSession.ts'
import { proveSecondFactor } from '../accounts/proveSecondFactor.ts'
import { signUp } from '../accounts/signUp.ts'
import { stepUpSeconds } from '../auth/requireStepUp.ts'
import { clearedSessionCookie } from '../auth/sessionCookie.ts'
import { defineRoute, respond } from '../http/Route.ts'

const opened = (status: number, result: OpenSessionReturnType) =>
  respond(status, result.body, result.cookie === undefined ? undefined : { 'set-cookie': result.cookie })

export const authRoutes = [
  defineRoute({
    method: 'POST',
    path: '/v1/auth/sign-up',
    summary:
      'Create an account: the first one is instance admin and admin of the first organisation; others need an invitation',
    access: 'none',
    body: signUpRequestSchema,
    responses: { 201: loginResponseSchema },
    handler: async ({ ctx, request, body }) => opened(201, await signUp(ctx, request, body)),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/auth/login',
    summary: 'Log in with email and password (and the TOTP code once enabled); throttled, never locked out',
    access: 'none',
    body: loginRequestSchema,
    responses: { 200: loginResponseSchema },
    handler: async ({ ctx, request, body }) => opened(200, await logIn(ctx, request, body)),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/auth/logout',
    summary: 'End this session (and clear its cookie)',
    access: 'session',
    responses: { 200: sessionSchema },
    async handler({ ctx, principal }) {
      const ended = await revokeSession(ctx.db, principal.accountId, principal.session.id)
      return respond(200, sessionResponse(ended ?? principal.session, principal.session.id), {
        'set-cookie': clearedSessionCookie(),
      })
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/auth/me',
    summary: 'Who this session is: the account, its organisations and the one this request acts in',
    access: 'session',
    responses: { 200: meResponseSchema },
    async handler({ ctx, principal }) {
      const account = await getAccount(ctx.db, principal.accountId)
      if (!account) throw new BursarError('SESSION_EXPIRED', 'the account no longer exists')
      const memberships = (await listMemberships(ctx.db, account.id)).map(membershipResponse)
      return {
        account: accountResponse(account),
        memberships,
        organisation:
          principal.type === 'member'
            ? (memberships.find((membership) => membership.org_id === principal.orgId) ?? null)
            : null,
        session: sessionResponse(principal.session, principal.session.id),
      }
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/auth/sessions',
    summary: "This account's live sessions (devices), newest first",
    access: 'session',
    responses: { 200: listOf(sessionSchema) },
    handler: async ({ ctx, principal }) => ({
      data: (await listSessions(ctx.db, principal.accountId)).map((session) =>
        sessionResponse(session, principal.session.id),
      ),
    }),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/v1/auth/sessions/:id',
    summary: 'End one of this account’s sessions (another device)',
    access: 'session',
    params: idParams,
    responses: { 200: sessionSchema },
    async handler({ ctx, principal, params }) {
      const ended = await revokeSession(ctx.db, principal.accountId, params.id)
      if (!ended)
        throw new BursarError('SESSION_NOT_FOUND', 'no such session of this account', {
          details: { session_id: params.id },
        })
      return sessionResponse(ended, principal.session.id)
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/auth/password',
    summary: 'Change the password (the current one again); every other session ends',
    access: 'session',
    body: passwordChangeRequestSchema,
    responses: { 200: z.object({ sessions_ended: z.number().int() }) },
    handler: async ({ ctx, principal, body }) =>
      changePassword(ctx, principal.accountId, principal.session.id, body),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/auth/totp',
    summary: 'Start TOTP enrolment ({password}): a new secret as an otpauth URI and QR code, shown once',
    access: 'session',
    body: totpStartRequestSchema,
    responses: { 200: totpEnrolmentSchema },
    handler: async ({ ctx, principal, body }) =>
      startTotpEnrolment(ctx, principal.accountId, principal.session.id, body.password),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/auth/totp/confirm',
    summary: 'Confirm TOTP with the first code; returns the recovery codes, shown once',
    access: 'session',
    body: totpConfirmRequestSchema,
    responses: { 200: recoveryCodesSchema },
    handler: async ({ ctx, principal, body }) =>
      confirmTotp(ctx, principal.accountId, principal.session.id, body.code),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/auth/step-up',
    summary: 'Prove a second factor now: sensitive actions are allowed for the next five minutes',
    access: 'session',
    body: secondFactorSchema,
    responses: { 200: stepUpResponseSchema },
    async handler({ ctx, request, principal, body }) {
      await proveSecondFactor(ctx, request, principal.accountId, body)
      const session = await markStepUp(ctx.db, principal.session.id)
      if (!session?.step_up_at)
        throw new BursarError('SESSION_EXPIRED', 'the session has ended: log in again')
      return {
        step_up_at: session.step_up_at.toISOString(),
        valid_until: new Date(session.step_up_at.getTime() + stepUpSeconds * 1000).toISOString(),
      }
    },
  }),
]
