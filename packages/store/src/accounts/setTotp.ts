/** Stores a new TOTP secret for an account, not yet confirmed, or removes TOTP. */
import type { Sql } from '../Db.ts'
import { type AccountRow, accountColumns } from './AccountRow.ts'

/**
 * `sealed` is the secret as sealTotpSecret returned it (stored as JSON); null removes TOTP. Either way the last used
 * step and the confirmation are cleared: a new secret is no second factor until recordTotpStep confirms it with a
 * code. Undefined when there is no such account.
 *
 * @example await setTotp(tx, account.id, sealTotpSecret(keystore, account.id, createTotpSecret()))
 */
export async function setTotp(tx: Sql, accountId: string, sealed: unknown): Promise<AccountRow | undefined> {
  const [row] = await tx.query<AccountRow>(
    `update accounts set totp_secret = $2::jsonb, totp_last_step = null, totp_enabled_at = null
      where id = $1 returning ${accountColumns}`,
    [accountId, sealed === null ? null : JSON.stringify(sealed)],
  )
  return row
}
