/** Test support: policy versions stripped of their MAC, as an older Bursar left them. */
import type { Sql } from '../src/Db.ts'

/**
 * Sets the MAC of every policy version of the agent to null: for tests of sealing on upgrade.
 *
 * @example await clearPolicyMacs(db, agentId)
 */
export async function clearPolicyMacs(sql: Sql, agentId: string): Promise<void> {
  await sql.query('update policies set mac = null where agent_id = $1', [agentId])
}
