/** Test support: one policy version deleted, as a writer with database access could. */
import type { Sql } from '../src/Db.ts'

/**
 * Deletes version `version` of the agent's policy, with no audit entry: for tests of how a missing version is
 * caught. The server never deletes one.
 *
 * @example await deletePolicyVersion(db, agentId, 2)
 */
export async function deletePolicyVersion(sql: Sql, agentId: string, version: number): Promise<void> {
  await sql.query('delete from policies where agent_id = $1 and version = $2', [agentId, version])
}
