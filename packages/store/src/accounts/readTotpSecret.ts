/** An account's sealed TOTP secret, for checking a code: the one query that returns it. */
import type { Sql } from '../Db.ts'

/**
 * The secret as setTotp stored it (sealed by the keystore, bound to the account id; open it with the keystore),
 * or undefined when the account has none or there is no such account. Whether it is a second factor yet is the
 * account's `totp_enabled_at`.
 *
 * @example
 * const sealed = await readTotpSecret(db, account.id)
 * if (sealed !== undefined) verifyTotp({ secret: openTotpSecret(keystore, account.id, sealed), code, now, ... })
 */
export async function readTotpSecret(sql: Sql, accountId: string): Promise<unknown> {
  const [row] = await sql.query<{ totp_secret: unknown }>(
    'select totp_secret from accounts where id = $1 and totp_secret is not null',
    [accountId],
  )
  return row?.totp_secret
}
