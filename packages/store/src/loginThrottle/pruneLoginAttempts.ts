/** Deletes throttling rows old enough to be forgotten anyway, so addresses tried once do not pile up. */
import type { Sql } from '../Db.ts'
import { forgetAfter } from './LoginThrottleRow.ts'

/**
 * A row whose last failure is older than the forgetting period throttles nothing and counts for nothing: deleting it
 * changes no decision. Returns how many went.
 *
 * @example await pruneLoginAttempts(db) // from a periodic worker
 */
export async function pruneLoginAttempts(sql: Sql): Promise<number> {
  const rows = await sql.query(
    `delete from login_attempts where last_failure_at < now() - interval '${forgetAfter}' returning key`,
  )
  return rows.length
}
