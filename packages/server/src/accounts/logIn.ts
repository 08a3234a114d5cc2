/**
 * Login: throttled per (account, source address) and per source address before the password is checked, the password
 * checked in constant work whether or not the account exists, then the second factor when the account has one. No
 * key is the account's alone: one that was would let anyone who fails once every delay keep the owner out for good
 * from everywhere. Guessing one account from many addresses still meets each address's delays and argon2's cost.
 */
import { BursarError } from '@bursar/core/errors'
import {
  appendAudit,
  beginLoginAttempt,
  clearLoginFailures,
  forgiveLoginAttempt,
  getAccount,
  readAccountCredentials,
  setPasswordHash,
} from '@bursar/store'
import type { FastifyRequest } from 'fastify'
import { dummyVerify } from '../auth/passwords/dummyVerify.ts'
import { hashPassword } from '../auth/passwords/hashPassword.ts'
import { throttleKeys } from '../auth/passwords/throttleKeys.ts'
import { verifyPassword } from '../auth/passwords/verifyPassword.ts'
import type { ServerContext } from '../context.ts'
import { type OpenSessionReturnType, openSession } from './openSession.ts'
import { proveSecondFactor, type SecondFactorProof } from './proveSecondFactor.ts'

export type LogInParameters = {
  email: string
  password: string
  totp_code?: string | undefined
  recovery_code?: string | undefined
  session: 'token' | 'cookie'
}

export async function logIn(
  ctx: ServerContext,
  request: FastifyRequest,
  parameters: LogInParameters,
): Promise<OpenSessionReturnType> {
  const credentials = await readAccountCredentials(ctx.db, { email: parameters.email })
  const keys = throttleKeys({
    accountId: credentials?.id,
    email: parameters.email,
    sourceAddress: request.ip,
  })
  const pair = `${keys.account}|${keys.source}`
  const attempt = await beginLoginAttempt(ctx.db, [pair, keys.source])
  if (!attempt.allowed)
    throw new BursarError('LOGIN_THROTTLED', 'too many failed logins: wait, then try again', {
      details: { retry_after_seconds: attempt.retryAfterSeconds },
    })
  const checked = credentials
    ? await verifyPassword(parameters.password, credentials.password_hash)
    : await dummyVerify(parameters.password)
  const account = credentials && checked.ok ? await getAccount(ctx.db, credentials.id) : undefined
  if (!account) {
    if (credentials)
      await appendAudit(ctx.db, [
        {
          actor: { type: 'account', id: null },
          action: 'account.login_failed',
          subject: { type: 'account', id: credentials.id },
          data: { reason: 'password', source_address: request.ip },
        },
      ])
    throw new BursarError('INVALID_CREDENTIALS', 'the email or the password is wrong')
  }
  let steppedUp = false
  if (account.totp_enabled_at !== null) {
    const proof: SecondFactorProof | undefined =
      parameters.totp_code !== undefined
        ? { totp_code: parameters.totp_code }
        : parameters.recovery_code !== undefined
          ? { recovery_code: parameters.recovery_code }
          : undefined
    // Said only to someone who knew the password: the account's factors are no secret from its owner.
    if (proof === undefined)
      throw new BursarError(
        'SECOND_FACTOR_REQUIRED',
        'this account needs its TOTP code (or a recovery code) to log in',
        {
          details: { factors: ['totp', 'recovery'] },
        },
      )
    await proveSecondFactor(ctx, request, account.id, proof)
    steppedUp = true
  }
  await clearLoginFailures(ctx.db, [pair])
  await forgiveLoginAttempt(ctx.db, keys.source)
  // A hash made under weaker parameters is replaced now, while the password is at hand.
  if (credentials && 'needsRehash' in checked && checked.needsRehash) {
    const rehashed = await hashPassword(parameters.password)
    if (rehashed.ok) await setPasswordHash(ctx.db, account.id, rehashed.phc)
  }
  return ctx.db.transaction(async (tx) => {
    const opened = await openSession(tx, request, account, { mode: parameters.session, steppedUp })
    await appendAudit(tx, [
      {
        actor: { type: 'account', id: account.id },
        action: 'account.logged_in',
        subject: { type: 'account', id: account.id },
        data: { session_id: opened.body.session.id, second_factor: steppedUp, source_address: request.ip },
      },
    ])
    return opened
  })
}
