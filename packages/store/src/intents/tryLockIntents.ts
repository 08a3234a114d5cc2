/** Locks those of some intents nobody else holds, without waiting: for workers that hold other rows' locks already. */
import type { Sql } from '../Db.ts'

/**
 * The ids it locked (until the transaction ends). A worker that has claimed approval requests locks their intents
 * this way: a canceller or approver takes the intent's lock first and then the request's, so waiting here could
 * deadlock; a skipped intent is picked up by a later pass.
 *
 * @example const locked = await tryLockIntents(tx, due.map((request) => request.intent_id))
 */
export async function tryLockIntents(tx: Sql, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set()
  const rows = await tx.query<{ id: string }>(
    'select id from intents where id = any($1::text[]) order by id for update skip locked',
    [ids],
  )
  return new Set(rows.map((row) => row.id))
}
