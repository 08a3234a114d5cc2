/** Signs a person up; the first account of the instance becomes its instance admin. */
import type { Sql } from '../Db.ts'
import { newId } from '../newId.ts'
import { type AccountRow, accountColumns } from './AccountRow.ts'

export type InsertAccountParameters = {
  email: string
  passwordHash: string
  /** Granted by the caller (the instance's first organisation made at sign-up, or an invitation that says so). */
  instanceAdmin: boolean
}

/**
 * Call it inside a transaction: a lock held until the transaction ends serialises sign-ups, so that of two
 * concurrent first sign-ups exactly one is the instance admin (a unique index refuses a second one outright if the
 * lock is ever bypassed). The instance admin's first organisation is the caller's to create, in the same
 * transaction. Undefined when the email (case-folded) has an account already.
 *
 * @example
 * const account = await db.transaction(async (tx) => {
 *   const account = await insertAccount(tx, { email, passwordHash: await hashPassword(password) })
 *   if (account?.instance_admin) { ... insertOrganisation, insertMembership(admin) ... }
 *   return account
 * })
 */
export async function insertAccount(
  tx: Sql,
  parameters: InsertAccountParameters,
): Promise<AccountRow | undefined> {
  // Taken in its own statement: the insert's snapshot, taken after the wait, sees the account committed before it.
  await tx.query('select pg_advisory_xact_lock(7442021)')
  const [row] = await tx.query<AccountRow>(
    `insert into accounts (id, email, password_hash, instance_admin)
     select $1, $2, $3, $4 and not exists (select 1 from accounts where instance_admin)
     on conflict ((lower(email))) do nothing returning ${accountColumns}`,
    [newId('acc'), parameters.email, parameters.passwordHash, parameters.instanceAdmin],
  )
  return row
}
