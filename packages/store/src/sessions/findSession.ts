/** The live session a presented token opens, marked as seen. */
import type { Sql } from '../Db.ts'
import { hashSecret } from '../secrets.ts'
import { type SessionRow, sessionColumns, sessionLive } from './SessionRow.ts'

/**
 * Undefined for an unknown, revoked, expired or idle-expired token alike. Last seen is written at most once a minute,
 * which keeps most requests read-only and idle expiry exact to the minute.
 *
 * @example const session = await findSession(db, cookies['__Host-bursar_session'])
 */
export async function findSession(sql: Sql, secret: string): Promise<SessionRow | undefined> {
  const [row] = await sql.query<SessionRow & { stale: boolean }>(
    `select ${sessionColumns}, last_seen_at < now() - interval '1 minute' as stale from sessions
      where token_hash = $1 and ${sessionLive}`,
    [hashSecret(secret)],
  )
  if (!row) return undefined
  const { stale, ...session } = row
  if (!stale) return session
  const [touched] = await sql.query<{ last_seen_at: Date }>(
    'update sessions set last_seen_at = now() where id = $1 returning last_seen_at',
    [session.id],
  )
  return { ...session, last_seen_at: touched?.last_seen_at ?? session.last_seen_at }
}
