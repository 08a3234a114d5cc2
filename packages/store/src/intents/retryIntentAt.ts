/** Counts a failed attempt (an RPC outage, a fee too high for now) and looks at the intent again at `at`. */
import type { Sql } from '../Db.ts'

/** The caller derives `at` from `attempts` (backoff), so the count is what spaces retries out. */
export async function retryIntentAt(tx: Sql, id: string, at: Date): Promise<void> {
  await tx.query('update intents set attempts = attempts + 1, next_attempt_at = $2 where id = $1', [id, at])
}
