/** Test support: an owner token marked revoked, with SQL alone. */
import type { Sql } from '../src/Db.ts'

/**
 * Sets the token's revocation time to now, with no audit entry: for tests that need a revoked owner token.
 *
 * @example await revokeOwnerToken(db, owner.tokenId)
 */
export async function revokeOwnerToken(sql: Sql, tokenId: string): Promise<void> {
  await sql.query('update owner_tokens set revoked_at = now() where id = $1', [tokenId])
}
