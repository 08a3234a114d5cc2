/** The oldest organisation of the instance: setup makes one if there is none. */
import type { Sql } from '../Db.ts'
import type { OrganisationRow } from '../organisations/OrganisationRow.ts'

/** @example if (!(await firstOrganisation(db))) await insertOrganisationWithToken(tx, 'owner', { instanceAdmin: true }) */
export async function firstOrganisation(sql: Sql): Promise<OrganisationRow | undefined> {
  const [row] = await sql.query<OrganisationRow>(
    'select id, name, created_at from organisations order by created_at, id limit 1',
  )
  return row
}
