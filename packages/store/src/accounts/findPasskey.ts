/** The passkey with a credential id, as an assertion names it. */
import type { Sql } from '../Db.ts'
import type { PasskeyRow } from './PasskeyRow.ts'

/** @example const passkey = await findPasskey(db, response.id) // then check passkey.account_id */
export async function findPasskey(sql: Sql, credentialId: string): Promise<PasskeyRow | undefined> {
  const [row] = await sql.query<PasskeyRow>('select * from passkeys where credential_id = $1', [credentialId])
  return row
}
