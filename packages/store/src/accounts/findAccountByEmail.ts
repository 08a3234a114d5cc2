/** The account with this email, compared case-folded: what a login looks up. */
import type { Sql } from '../Db.ts'
import { type AccountRow, accountColumns } from './AccountRow.ts'

/** @example const account = await findAccountByEmail(db, 'Ada@Example.com') // finds ada@example.com */
export async function findAccountByEmail(sql: Sql, email: string): Promise<AccountRow | undefined> {
  const [row] = await sql.query<AccountRow>(
    `select ${accountColumns} from accounts where lower(email) = lower($1)`,
    [email],
  )
  return row
}
