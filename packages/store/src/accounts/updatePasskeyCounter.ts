/** Records a verified assertion: the new signature counter and the time of use. */
import type { Sql } from '../Db.ts'
import type { PasskeyRow } from './PasskeyRow.ts'

export type UpdatePasskeyCounterParameters = { accountId: string; credentialId: string; counter: number }

/**
 * The counter only goes up: undefined, with nothing changed, when `counter` is not above the stored one (a cloned
 * authenticator, or a replay racing the original), except that 0 stays acceptable while both are 0 (authenticators
 * that keep no counter, as WebAuthn allows). Also undefined when the passkey is not the account's.
 *
 * @example
 * const { newCounter } = verification.authenticationInfo
 * if (!(await updatePasskeyCounter(tx, { accountId, credentialId, counter: newCounter }))) throw …
 */
export async function updatePasskeyCounter(
  tx: Sql,
  parameters: UpdatePasskeyCounterParameters,
): Promise<PasskeyRow | undefined> {
  const [row] = await tx.query<PasskeyRow>(
    `update passkeys set counter = $3, last_used_at = now()
      where account_id = $1 and credential_id = $2 and (counter < $3 or (counter = 0 and $3 = 0))
      returning *`,
    [parameters.accountId, parameters.credentialId, parameters.counter],
  )
  return row
}
