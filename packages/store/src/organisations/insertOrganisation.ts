/** Creates an organisation; its first admin is added with insertMembership in the same transaction. */
import type { Sql } from '../Db.ts'
import { newId } from '../newId.ts'
import type { OrganisationRow } from './OrganisationRow.ts'

/**
 * @example
 * const org = await insertOrganisation(tx, 'Acme')
 * await insertMembership(tx, { orgId: org.id, accountId: account.id, role: 'admin' })
 */
export async function insertOrganisation(tx: Sql, name: string): Promise<OrganisationRow> {
  const [row] = await tx.query<OrganisationRow>(
    'insert into organisations (id, name) values ($1, $2) returning id, name, created_at',
    [newId('org'), name],
  )
  return row!
}
