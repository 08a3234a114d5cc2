/** An organisation and an admin service token for it: what setup and `bursar owner create` make. */
import type { Sql } from '../Db.ts'
import { insertOrganisation } from '../organisations/insertOrganisation.ts'
import type { OrganisationRow } from '../organisations/OrganisationRow.ts'
import { insertServiceToken } from './insertServiceToken.ts'

/**
 * The token made for the instance's first organisation at setup is the instance admin's until a person signs up.
 *
 * @example
 * const { organisation, token } = await insertOrganisationWithToken(tx, 'Acme', { instanceAdmin: true })
 */
export async function insertOrganisationWithToken(
  tx: Sql,
  name: string,
  options: { instanceAdmin?: boolean } = {},
): Promise<{ organisation: OrganisationRow; token: string; tokenId: string }> {
  const organisation = await insertOrganisation(tx, name)
  const { token, secret } = await insertServiceToken(tx, {
    orgId: organisation.id,
    name: 'setup token',
    role: 'admin',
    instanceAdmin: options.instanceAdmin ?? false,
  })
  return { organisation, token: secret, tokenId: token.id }
}
