/** Forgets the failures of keys after a successful login. */
import type { Sql } from '../Db.ts'

/**
 * Which keys a success clears is the caller's choice: the account's, typically, and not the source address's (one
 * good password must not reset the count of an address trying many accounts).
 *
 * @example await clearLoginFailures(tx, [`account:${account.id}`])
 */
export async function clearLoginFailures(sql: Sql, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return
  await sql.query('delete from login_attempts where key = any($1::text[])', [[...keys]])
}
