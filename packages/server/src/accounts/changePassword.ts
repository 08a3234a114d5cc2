/** Password change: the current password again (a stolen session alone cannot lock the owner out), then every other session ends. */
import { BursarError } from '@bursar/core/errors'
import {
  appendAudit,
  beginLoginAttempt,
  clearLoginFailures,
  readAccountCredentials,
  revokeOtherSessions,
  setPasswordHash,
} from '@bursar/store'
import { hashPassword } from '../auth/passwords/hashPassword.ts'
import { verifyPassword } from '../auth/passwords/verifyPassword.ts'
import type { ServerContext } from '../context.ts'
import { passwordError } from './passwordError.ts'

export async function changePassword(
  ctx: ServerContext,
  accountId: string,
  sessionId: string,
  parameters: { current_password: string; new_password: string },
): Promise<{ sessions_ended: number }> {
  // A stolen session must not become a password oracle: wrong current passwords are throttled like logins.
  const key = `password:${accountId}`
  const attempt = await beginLoginAttempt(ctx.db, [key])
  if (!attempt.allowed)
    throw new BursarError('LOGIN_THROTTLED', 'too many wrong passwords: wait, then try again', {
      details: { retry_after_seconds: attempt.retryAfterSeconds },
    })
  const credentials = await readAccountCredentials(ctx.db, { accountId })
  if (!credentials || !(await verifyPassword(parameters.current_password, credentials.password_hash)).ok)
    throw new BursarError('INVALID_CREDENTIALS', 'the current password is wrong')
  await clearLoginFailures(ctx.db, [key])
  const hashed = await hashPassword(parameters.new_password)
  if (!hashed.ok) throw passwordError(hashed.reason)
  return ctx.db.transaction(async (tx) => {
    await setPasswordHash(tx, accountId, hashed.phc)
    const ended = await revokeOtherSessions(tx, accountId, sessionId)
    await appendAudit(tx, [
      {
        actor: { type: 'account', id: accountId },
        action: 'account.password_changed',
        subject: { type: 'account', id: accountId },
        data: { sessions_ended: ended },
      },
    ])
    return { sessions_ended: ended }
  })
}
