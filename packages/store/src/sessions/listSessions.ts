/** An account's sessions, newest first (by creation): live ones, or every one with `includeEnded`. */
import type { Sql } from '../Db.ts'
import { type SessionRow, sessionColumns, sessionLive } from './SessionRow.ts'

/** @example const sessions = await listSessions(db, account.id) // where am I signed in? */
export async function listSessions(
  sql: Sql,
  accountId: string,
  options: { includeEnded?: boolean } = {},
): Promise<SessionRow[]> {
  return sql.query<SessionRow>(
    `select ${sessionColumns} from sessions where account_id = $1${options.includeEnded ? '' : ` and ${sessionLive}`}
      order by created_at desc, id desc`,
    [accountId],
  )
}
