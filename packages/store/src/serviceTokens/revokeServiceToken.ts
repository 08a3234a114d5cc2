/** Revokes a service token of an organisation; revoking twice keeps the first time. */
import type { Sql } from '../Db.ts'
import { type ServiceTokenRow, serviceTokenColumns } from './ServiceTokenRow.ts'

/** Undefined when the organisation has no such token. @example await revokeServiceToken(tx, orgId, tokenId) */
export async function revokeServiceToken(
  tx: Sql,
  orgId: string,
  tokenId: string,
): Promise<ServiceTokenRow | undefined> {
  const [row] = await tx.query<ServiceTokenRow>(
    `update service_tokens set revoked_at = coalesce(revoked_at, now())
      where org_id = $1 and id = $2 returning ${serviceTokenColumns}`,
    [orgId, tokenId],
  )
  return row
}
