/** Admits or refuses a login attempt and, when admitted, counts it as a failure up front: check and count are one. */
import { BursarError } from '@bursar/core/errors'
import type { Sql } from '../Db.ts'
import { delaySeconds, forgetAfter } from './LoginThrottleRow.ts'

export type BeginLoginAttemptReturnType =
  /** Check the password; the attempt already counts as failure number `failures` (the most of any key). */
  | { allowed: true; failures: number }
  /** Refuse without checking the password; nothing was counted. `retryAfterSeconds` is at least 1. */
  | { allowed: false; retryAfterSeconds: number }

/**
 * Reading the throttle, checking the password and then counting the failure lets N parallel guesses all pass the
 * read. Here the check and the count are one statement: the keys' rows are locked in sorted order (so two attempts
 * sharing keys never deadlock), and the attempt is refused when any key is still waiting out its delay (the rule in
 * LoginThrottleRow.ts); otherwise every key's count goes up by one in a single multi-row upsert, before the
 * password is checked, so parallel guesses each count and meet the delay as soon as sequential ones would. A
 * refusal counts nothing, so hammering neither guesses nor lengthens the wait. A success then calls
 * clearLoginFailures for the keys it should reset.
 *
 * A key created by a concurrent attempt after this statement's snapshot is checked under its row lock in the upsert
 * itself; if that one key is refused while the others were admitted, the attempt is refused and the others keep the
 * extra count (erring on the strict side, and only in a burst that reaches the delay).
 *
 * `now` is the time of the attempt (the database's clock when omitted). Throws INTERNAL for no keys: an attempt
 * counted against nothing would never be throttled.
 *
 * @example
 * const attempt = await beginLoginAttempt(db, [keys.account, keys.source])
 * if (!attempt.allowed) return reply.header('retry-after', attempt.retryAfterSeconds).code(429).send()
 * const result = account ? await verifyPassword(password, credentials.password_hash) : await dummyVerify(password)
 * if (result.ok) await clearLoginFailures(db, [keys.account])
 */
export async function beginLoginAttempt(
  sql: Sql,
  keys: readonly string[],
  now?: Date,
): Promise<BeginLoginAttemptReturnType> {
  const unique = [...new Set(keys)].sort()
  if (unique.length === 0)
    throw new BursarError('INTERNAL', 'login throttle: an attempt needs at least one key')
  // A key blocks while it has a real delay (after the free failures) that has not passed. A row with no delay never
  // blocks, so an attempt whose clock reads a moment before a concurrent first failure's is not refused for it.
  const blocks = (row: string, at: string) =>
    `${row}.next_allowed_at > greatest(${row}.last_failure_at, ${at})`
  // The count after this failure: restarted after a quiet day, capped far below integer overflow.
  const failures = `case when la.last_failure_at < excluded.last_failure_at - interval '${forgetAfter}' then 1
                         else least(la.failures + 1, 1000000) end`
  const [row] = await sql.query<{ counted: number; failures: number | null; wait: number | null }>(
    `with attempt as (select coalesce($2::timestamptz, now()) as at),
     locked as (
       select key, last_failure_at, next_allowed_at from login_attempts
        where key = any($1::text[]) order by key for update
     ),
     blocked as (
       select max(locked.next_allowed_at) as until from locked, attempt where ${blocks('locked', 'attempt.at')}
     ),
     counted as (
       insert into login_attempts as la (key, failures, last_failure_at, next_allowed_at)
       select k, 1, attempt.at, attempt.at + make_interval(secs => ${delaySeconds('1')})
         from unnest($1::text[]) as u(k), attempt
        where (select until from blocked) is null
        order by k
       on conflict (key) do update set failures = ${failures}, last_failure_at = excluded.last_failure_at,
         next_allowed_at = excluded.last_failure_at + make_interval(secs => ${delaySeconds(failures)})
        where not (${blocks('la', 'excluded.last_failure_at')})
       returning failures
     )
     select (select count(*) from counted)::int as counted, (select max(failures) from counted)::int as failures,
            ceil(extract(epoch from (select until from blocked) - (select at from attempt)))::int as wait`,
    [unique, now ?? null],
  )
  if (row && row.counted === unique.length) return { allowed: true, failures: row.failures ?? 0 }
  return { allowed: false, retryAfterSeconds: Math.max(1, row?.wait ?? 1) }
}
