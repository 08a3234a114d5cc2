/** Whether a login may be attempted now, given every key it counts against. */
import type { Sql } from '../Db.ts'

export type LoginThrottle = {
  /** False while any of the keys is still waiting out its delay. */
  allowed: boolean
  /** The most failures in a row of any of the keys (0 when none has any). */
  failures: number
  /** When the last of the keys may try again; null when none has failed. */
  nextAllowedAt: Date | null
  /** Whole seconds until then (for a Retry-After header); 0 when allowed. */
  retryAfterSeconds: number
}

/**
 * Read before checking the password, so a throttled attempt costs no hash. The delays follow the rule in
 * LoginThrottleRow.ts.
 *
 * @example
 * const throttle = await readLoginThrottle(db, [`account:${account.id}`, `ip:${request.ip}`])
 * if (!throttle.allowed) reply.header('retry-after', throttle.retryAfterSeconds)
 */
export async function readLoginThrottle(sql: Sql, keys: readonly string[]): Promise<LoginThrottle> {
  const [row] = await sql.query<{ failures: number; next_allowed_at: Date | null; wait: number }>(
    `select coalesce(max(failures), 0)::int as failures, max(next_allowed_at) as next_allowed_at,
            ceil(greatest(0, extract(epoch from max(next_allowed_at) - now())))::int as wait
       from login_attempts where key = any($1::text[])`,
    [[...keys]],
  )
  const wait = row?.wait ?? 0
  return {
    allowed: wait === 0,
    failures: row?.failures ?? 0,
    nextAllowedAt: row?.next_allowed_at ?? null,
    retryAfterSeconds: wait,
  }
}
