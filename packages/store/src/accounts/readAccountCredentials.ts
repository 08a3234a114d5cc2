/** An account's password hash, for checking a password at login: the one query that returns it. */
import type { Sql } from '../Db.ts'

export type AccountCredentials = {
  id: string
  /** argon2id, PHC string. */
  password_hash: string
}

/** By id, or by email compared case-folded (what a login looks up). */
export type ReadAccountCredentialsParameters = { accountId: string } | { email: string }

/**
 * Undefined when there is no such account (the caller runs dummyVerify then, so an unknown email costs the same).
 * Keep the hash inside the login: read the rest of the account with getAccount.
 *
 * @example
 * const credentials = await readAccountCredentials(db, { email: 'Ada@Example.com' }) // finds ada@example.com
 * const result = credentials ? await verifyPassword(password, credentials.password_hash) : await dummyVerify(password)
 */
export async function readAccountCredentials(
  sql: Sql,
  parameters: ReadAccountCredentialsParameters,
): Promise<AccountCredentials | undefined> {
  const [row] =
    'accountId' in parameters
      ? await sql.query<AccountCredentials>('select id, password_hash from accounts where id = $1', [
          parameters.accountId,
        ])
      : await sql.query<AccountCredentials>(
          'select id, password_hash from accounts where lower(email) = lower($1)',
          [parameters.email],
        )
  return row
}
