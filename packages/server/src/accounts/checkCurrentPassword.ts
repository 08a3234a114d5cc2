/**
 * The current password again, for what a session alone must not do (add a second factor, change the password).
 * Wrong answers are throttled per account and session: a stolen session cannot guess freely, nor keep the owner's own
 * sessions from proving it.
 */
import { BursarError } from '@bursar/core/errors'
import { beginLoginAttempt, clearLoginFailures, readAccountCredentials } from '@bursar/store'
import { verifyPassword } from '../auth/passwords/verifyPassword.ts'
import type { ServerContext } from '../context.ts'

export async function checkCurrentPassword(
  ctx: ServerContext,
  who: { accountId: string; sessionId: string },
  password: string,
): Promise<void> {
  const key = `password:${who.accountId}|${who.sessionId}`
  const attempt = await beginLoginAttempt(ctx.db, [key])
  if (!attempt.allowed)
    throw new BursarError('LOGIN_THROTTLED', 'too many wrong passwords: wait, then try again', {
      details: { retry_after_seconds: attempt.retryAfterSeconds },
    })
  const credentials = await readAccountCredentials(ctx.db, { accountId: who.accountId })
  if (!credentials || !(await verifyPassword(password, credentials.password_hash)).ok)
    throw new BursarError('INVALID_CREDENTIALS', 'the current password is wrong')
  await clearLoginFailures(ctx.db, [key])
}
