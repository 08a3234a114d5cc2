/** One organisation by id. */
import type { Sql } from '../Db.ts'
import type { OrganisationRow } from './OrganisationRow.ts'

/** @example const org = await getOrganisation(db, membership.org_id) */
export async function getOrganisation(sql: Sql, id: string): Promise<OrganisationRow | undefined> {
  const [row] = await sql.query<OrganisationRow>(
    'select id, name, created_at from organisations where id = $1',
    [id],
  )
  return row
}
