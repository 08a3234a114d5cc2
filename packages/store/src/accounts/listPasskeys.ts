/** An account's passkeys, oldest first. */
import type { Sql } from '../Db.ts'
import type { PasskeyRow } from './PasskeyRow.ts'

/** @example const allowCredentials = (await listPasskeys(db, account.id)).map((p) => ({ id: p.credential_id, transports: p.transports })) */
export async function listPasskeys(sql: Sql, accountId: string): Promise<PasskeyRow[]> {
  return sql.query<PasskeyRow>('select * from passkeys where account_id = $1 order by created_at, id', [
    accountId,
  ])
}
