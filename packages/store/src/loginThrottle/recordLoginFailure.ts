/** Counts a failed login against each of its keys (the account and the source address, say). */
import type { Sql } from '../Db.ts'
import { delaySeconds, forgetAfter, type LoginThrottleRow } from './LoginThrottleRow.ts'

/**
 * Returns each key's row after the failure; `next_allowed_at` follows the rule in LoginThrottleRow.ts. One atomic
 * upsert per call, so concurrent failures each count.
 *
 * @example await recordLoginFailure(db, [`account:${account.id}`, `ip:${request.ip}`])
 */
export async function recordLoginFailure(sql: Sql, keys: readonly string[]): Promise<LoginThrottleRow[]> {
  const unique = [...new Set(keys)]
  if (unique.length === 0) return []
  // The count as it will be after this failure: restarted after a quiet day, capped far below integer overflow.
  const failures = `case when login_attempts.last_failure_at < now() - interval '${forgetAfter}' then 1
                         else least(login_attempts.failures + 1, 1000000) end`
  return sql.query<LoginThrottleRow>(
    `insert into login_attempts (key, failures, last_failure_at, next_allowed_at)
     select k, 1, now(), now() + make_interval(secs => ${delaySeconds('1')}) from unnest($1::text[]) as u(k)
     on conflict (key) do update set failures = ${failures}, last_failure_at = now(),
       next_allowed_at = now() + make_interval(secs => ${delaySeconds(failures)})
     returning *`,
    [unique],
  )
}
