/** Password change: the current password again (a stolen session alone cannot lock the owner out), then every other session ends. */
import { appendAudit, revokeOtherSessions, setPasswordHash } from '@bursar/store'
import { hashPassword } from '../auth/passwords/hashPassword.ts'
import type { ServerContext } from '../context.ts'
import { checkCurrentPassword } from './checkCurrentPassword.ts'
import { passwordError } from './passwordError.ts'

export async function changePassword(
  ctx: ServerContext,
  accountId: string,
  sessionId: string,
  parameters: { current_password: string; new_password: string },
): Promise<{ sessions_ended: number }> {
  // A stolen session must not become a password oracle: wrong current passwords are throttled like logins.
  await checkCurrentPassword(ctx, { accountId, sessionId }, parameters.current_password)
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
