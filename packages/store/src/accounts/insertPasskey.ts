/** Registers a passkey for an account, from a verified registration response. */
import type { Sql } from '../Db.ts'
import { newId } from '../newId.ts'
import type { PasskeyRow } from './PasskeyRow.ts'

export type InsertPasskeyParameters = {
  accountId: string
  credentialId: string
  publicKey: string
  counter: number
  transports: readonly string[]
  name: string | null
}

/**
 * Undefined when the credential id is registered already (to this account or any other).
 *
 * @example
 * const { credential } = registration.registrationInfo
 * await insertPasskey(tx, { accountId, credentialId: credential.id, publicKey: isoBase64URL.fromBuffer(credential.publicKey),
 *   counter: credential.counter, transports: credential.transports ?? [], name: 'laptop' })
 */
export async function insertPasskey(
  tx: Sql,
  parameters: InsertPasskeyParameters,
): Promise<PasskeyRow | undefined> {
  const [row] = await tx.query<PasskeyRow>(
    `insert into passkeys (id, account_id, credential_id, public_key, counter, transports, name)
     values ($1, $2, $3, $4, $5, $6::jsonb, $7) on conflict (credential_id) do nothing returning *`,
    [
      newId('pk'),
      parameters.accountId,
      parameters.credentialId,
      parameters.publicKey,
      parameters.counter,
      JSON.stringify(parameters.transports),
      parameters.name,
    ],
  )
  return row
}
