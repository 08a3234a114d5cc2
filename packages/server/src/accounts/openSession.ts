/** Opens a session after sign-up or login: 30 days at most, 7 idle (ADR 0007); the token is returned once. */

import type { AccountRow } from '@bursar/store'
import { insertSession, listMemberships, markStepUp, type Sql } from '@bursar/store'
import type { FastifyRequest } from 'fastify'
import { sessionCookie } from '../auth/sessionCookie.ts'
import { accountResponse, membershipResponse, sessionResponse } from './accountResponses.ts'

const sessionTtlSeconds = 30 * 86_400
const sessionIdleSeconds = 7 * 86_400

export type OpenSessionReturnType = {
  body: {
    account: ReturnType<typeof accountResponse>
    memberships: Array<ReturnType<typeof membershipResponse>>
    session: ReturnType<typeof sessionResponse>
    token?: string
  }
  /** The Set-Cookie header, for `session: 'cookie'`. */
  cookie?: string
}

/** `steppedUp`: a second factor was proven with the login, so sensitive actions need none for five minutes. */
export async function openSession(
  tx: Sql,
  request: FastifyRequest,
  account: AccountRow,
  options: { mode: 'token' | 'cookie'; steppedUp: boolean },
): Promise<OpenSessionReturnType> {
  const opened = await insertSession(tx, {
    accountId: account.id,
    ttlSeconds: sessionTtlSeconds,
    idleSeconds: sessionIdleSeconds,
    sourceAddress: request.ip,
    userAgent: request.headers['user-agent']?.slice(0, 512) ?? null,
  })
  const session = options.steppedUp
    ? ((await markStepUp(tx, opened.session.id)) ?? opened.session)
    : opened.session
  const body = {
    account: accountResponse(account),
    memberships: (await listMemberships(tx, account.id)).map(membershipResponse),
    session: sessionResponse(session, session.id),
  }
  return options.mode === 'cookie'
    ? { body, cookie: sessionCookie(opened.secret, session.expires_at) }
    : { body: { ...body, token: opened.secret } }
}
