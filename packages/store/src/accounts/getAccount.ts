/** One account by id. */
import type { Sql } from '../Db.ts'
import { type AccountRow, accountColumns } from './AccountRow.ts'

/**
 * `forUpdate` locks the row (changing a factor must not race a step-up reading it).
 *
 * @example const account = await getAccount(db, session.account_id)
 */
export async function getAccount(
  sql: Sql,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<AccountRow | undefined> {
  const [row] = await sql.query<AccountRow>(
    `select ${accountColumns} from accounts where id = $1${options.forUpdate ? ' for update' : ''}`,
    [id],
  )
  return row
}
