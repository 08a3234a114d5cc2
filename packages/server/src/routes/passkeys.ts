/** Passkeys: register several per account, sign in with one, and prove one for step-up and approvals. */
import {
  idParams,
  listOf,
  loginResponseSchema,
  passkeyLoginRequestSchema,
  passkeyOptionsSchema,
  passkeyRegistrationRequestSchema,
  passkeySchema,
} from '@bursar/core/api'
import { BursarError } from '@bursar/core/errors'
import { appendAudit, deletePasskey, getAccount, listPasskeys, type PasskeyRow } from '@bursar/store'
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server'
import { checkCurrentPassword } from '../accounts/checkCurrentPassword.ts'
import { openSession } from '../accounts/openSession.ts'
import { finishPasskeyAuthentication } from '../auth/passkeys/finishPasskeyAuthentication.ts'
import { finishPasskeyRegistration } from '../auth/passkeys/finishPasskeyRegistration.ts'
import { startPasskeyAuthentication } from '../auth/passkeys/startPasskeyAuthentication.ts'
import { startPasskeyRegistration } from '../auth/passkeys/startPasskeyRegistration.ts'
import { relyingParty } from '../auth/relyingParty.ts'
import { requireStepUp } from '../auth/requireStepUp.ts'
import { defineRoute, respond } from '../http/Route.ts'

const passkeyResponse = (passkey: Omit<PasskeyRow, 'public_key'>) => ({
  id: passkey.id,
  name: passkey.name,
  transports: passkey.transports,
  created_at: passkey.created_at.toISOString(),
  last_used_at: passkey.last_used_at?.toISOString() ?? null,
})

export const passkeyRoutes = [
  defineRoute({
    method: 'POST',
    path: '/v1/auth/passkeys/options',
    summary: 'Options for registering a new passkey on this account (navigator.credentials.create)',
    access: 'session',
    responses: { 200: passkeyOptionsSchema },
    async handler({ ctx, request, principal }) {
      const account = await getAccount(ctx.db, principal.accountId)
      if (!account) throw new BursarError('SESSION_EXPIRED', 'the account no longer exists')
      return startPasskeyRegistration(ctx.db, relyingParty(ctx, request), account)
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/auth/passkeys',
    summary: 'Register a passkey ({response, name}); an account with a second factor already needs step-up',
    access: 'session',
    body: passkeyRegistrationRequestSchema,
    responses: { 201: passkeySchema },
    async handler({ ctx, request, principal, body }) {
      const account = await getAccount(ctx.db, principal.accountId)
      const existing = await listPasskeys(ctx.db, principal.accountId)
      // A new factor is added by someone who can prove an existing one, or the password for the first: a stolen
      // session alone cannot plant its own.
      if (account?.totp_enabled_at != null || existing.length > 0) requireStepUp(principal.session)
      else if (body.password === undefined)
        throw new BursarError('INVALID_CREDENTIALS', 'the first passkey of an account needs the password too')
      else
        await checkCurrentPassword(
          ctx,
          { accountId: principal.accountId, sessionId: principal.session.id },
          body.password,
        )
      const passkey = await finishPasskeyRegistration(
        ctx.db,
        relyingParty(ctx, request),
        principal.accountId,
        body.response as unknown as RegistrationResponseJSON,
        body.name,
      )
      await appendAudit(ctx.db, [
        {
          actor: principal.actor,
          action: 'account.passkey_added',
          subject: { type: 'account', id: principal.accountId },
          data: { passkey_id: passkey.id },
        },
      ])
      return respond(201, passkeyResponse(passkey))
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/auth/passkeys',
    summary: "This account's passkeys",
    access: 'session',
    responses: { 200: listOf(passkeySchema) },
    handler: async ({ ctx, principal }) => ({
      data: (await listPasskeys(ctx.db, principal.accountId)).map(passkeyResponse),
    }),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/v1/auth/passkeys/:id',
    summary: 'Remove one of this account’s passkeys',
    access: 'session',
    stepUp: true,
    params: idParams,
    responses: { 200: passkeySchema },
    async handler({ ctx, principal, params }) {
      const passkey = (await listPasskeys(ctx.db, principal.accountId)).find((p) => p.id === params.id)
      if (!passkey || !(await deletePasskey(ctx.db, principal.accountId, params.id)))
        throw new BursarError('PASSKEY_NOT_FOUND', 'no such passkey on this account', {
          details: { passkey_id: params.id },
        })
      await appendAudit(ctx.db, [
        {
          actor: principal.actor,
          action: 'account.passkey_removed',
          subject: { type: 'account', id: principal.accountId },
          data: { passkey_id: params.id },
        },
      ])
      return passkeyResponse(passkey)
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/auth/step-up/options',
    summary:
      "Options for proving one of this account's passkeys (step-up, or a second_factor of an approval)",
    access: 'session',
    responses: { 200: passkeyOptionsSchema },
    handler: async ({ ctx, request, principal }) =>
      startPasskeyAuthentication(ctx.db, relyingParty(ctx, request), principal.accountId),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/auth/passkey-login/options',
    summary: 'Options for signing in with a passkey (discoverable: no email needed, none revealed)',
    access: 'none',
    responses: { 200: passkeyOptionsSchema },
    handler: async ({ ctx, request }) => startPasskeyAuthentication(ctx.db, relyingParty(ctx, request)),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/auth/passkey-login',
    summary: 'Sign in with a passkey ({response}); counts as a second factor for the next five minutes',
    access: 'none',
    body: passkeyLoginRequestSchema,
    responses: { 200: loginResponseSchema },
    async handler({ ctx, request, body }) {
      const { accountId } = await finishPasskeyAuthentication(
        ctx.db,
        relyingParty(ctx, request),
        body.response as unknown as AuthenticationResponseJSON,
      )
      const account = await getAccount(ctx.db, accountId)
      if (!account)
        throw new BursarError('PASSKEY_INVALID', 'the passkey belongs to no account', {
          details: { reason: 'account' },
        })
      const opened = await ctx.db.transaction(async (tx) => {
        const result = await openSession(tx, request, account, { mode: body.session, steppedUp: true })
        await appendAudit(tx, [
          {
            actor: { type: 'account', id: account.id },
            action: 'account.logged_in',
            subject: { type: 'account', id: account.id },
            data: { session_id: result.body.session.id, second_factor: true, factor: 'passkey' },
          },
        ])
        return result
      })
      return respond(
        200,
        opened.body,
        opened.cookie === undefined ? undefined : { 'set-cookie': opened.cookie },
      )
    },
  }),
]
