/** Deletes challenges that were used or have expired: each is worth nothing after either. */
import type { Sql } from '../Db.ts'

/** How many it removed. @example await pruneWebauthnChallenges(db) */
export async function pruneWebauthnChallenges(sql: Sql): Promise<number> {
  const rows = await sql.query(
    'delete from webauthn_challenges where used_at is not null or expires_at < now() returning id',
  )
  return rows.length
}
