/** Creates a service token of an organisation; the secret is returned once and only its hash is kept. */
import type { MemberRole } from '@bursar/core/approvals'
import type { Sql } from '../Db.ts'
import { newId } from '../newId.ts'
import { newSecret } from '../secrets.ts'
import { type ServiceTokenRow, serviceTokenColumns } from './ServiceTokenRow.ts'

export type InsertServiceTokenParameters = {
  orgId: string
  name: string
  role: MemberRole
  instanceAdmin?: boolean
  createdBy?: string | null
}

/**
 * @example
 * const { token, secret } = await insertServiceToken(tx, { orgId, name: 'deploy bot', role: 'viewer', createdBy })
 */
export async function insertServiceToken(
  tx: Sql,
  parameters: InsertServiceTokenParameters,
): Promise<{ token: ServiceTokenRow; secret: string }> {
  const secret = newSecret('service_token')
  const [token] = await tx.query<ServiceTokenRow>(
    `insert into service_tokens (id, org_id, name, role, instance_admin, prefix, hash, created_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8) returning ${serviceTokenColumns}`,
    [
      newId('stk'),
      parameters.orgId,
      parameters.name,
      parameters.role,
      parameters.instanceAdmin ?? false,
      secret.prefix,
      secret.hash,
      parameters.createdBy ?? null,
    ],
  )
  return { token: token!, secret: secret.secret }
}
