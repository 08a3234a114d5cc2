/** Resolves a presented service token secret to its live row, noting when it was last used. */
import type { Sql } from '../Db.ts'
import { hashSecret } from '../secrets.ts'
import { type ServiceTokenRow, serviceTokenColumns } from './ServiceTokenRow.ts'

/** Undefined for an unknown or revoked token. @example const token = await findServiceToken(db, secret) */
export async function findServiceToken(sql: Sql, secret: string): Promise<ServiceTokenRow | undefined> {
  const [row] = await sql.query<ServiceTokenRow>(
    `update service_tokens set last_used_at = now()
      where hash = $1 and revoked_at is null
      returning ${serviceTokenColumns}`,
    [hashSecret(secret)],
  )
  return row
}
