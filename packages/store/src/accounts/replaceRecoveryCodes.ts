/** Replaces an account's recovery codes with a new set: the old ones stop working at once. */
import type { Sql } from '../Db.ts'

/**
 * `hashes` are createRecoveryCodes' hashes, in order; each is stored at its index (useRecoveryCode's answer).
 * An empty list removes every code.
 *
 * @example
 * const { codes, hashes } = createRecoveryCodes()
 * await replaceRecoveryCodes(tx, account.id, hashes) // then show `codes` once
 */
export async function replaceRecoveryCodes(
  tx: Sql,
  accountId: string,
  hashes: readonly string[],
): Promise<void> {
  await tx.query('delete from recovery_codes where account_id = $1', [accountId])
  if (hashes.length === 0) return
  await tx.query(
    `insert into recovery_codes (account_id, idx, hash)
     select $1, n - 1, h from unnest($2::text[]) with ordinality as u(h, n)`,
    [accountId, hashes],
  )
}
