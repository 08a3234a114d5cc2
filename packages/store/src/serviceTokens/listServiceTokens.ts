/** The service tokens of an organisation, revoked ones included, oldest first. */
import type { Sql } from '../Db.ts'
import { type ServiceTokenRow, serviceTokenColumns } from './ServiceTokenRow.ts'

/** @example const tokens = await listServiceTokens(db, orgId) */
export async function listServiceTokens(sql: Sql, orgId: string): Promise<ServiceTokenRow[]> {
  return sql.query<ServiceTokenRow>(
    `select ${serviceTokenColumns} from service_tokens where org_id = $1 order by created_at, id`,
    [orgId],
  )
}
