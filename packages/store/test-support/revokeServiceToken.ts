/** Test support: a service token marked revoked, with SQL alone. */
import type { Sql } from '../src/Db.ts'

/**
 * Sets the token's revocation time to now, with no audit entry: for tests that need a revoked service token.
 *
 * @example await revokeServiceToken(db, owner.tokenId)
 */
export async function revokeServiceToken(sql: Sql, tokenId: string): Promise<void> {
  await sql.query('update service_tokens set revoked_at = now() where id = $1', [tokenId])
}
