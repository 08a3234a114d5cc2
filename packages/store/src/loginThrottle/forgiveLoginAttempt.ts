/** Takes back the failure a successful login was counted as, up front, under a key the success does not clear. */
import type { Sql } from '../Db.ts'
import { delaySeconds } from './LoginThrottleRow.ts'

/**
 * beginLoginAttempt counts every admitted attempt as a failure before the password is checked. A success clears the
 * account's own keys; for a shared key (the source address) it only takes its own count back, so good logins from
 * an office never add up to a delay, while the failures of others behind the same address still do.
 *
 * @example await forgiveLoginAttempt(db, keys.source)
 */
export async function forgiveLoginAttempt(sql: Sql, key: string): Promise<void> {
  await sql.query(
    `update login_attempts
        set failures = failures - 1,
            next_allowed_at = last_failure_at + make_interval(secs => ${delaySeconds('(failures - 1)')})
      where key = $1 and failures > 0`,
    [key],
  )
}
