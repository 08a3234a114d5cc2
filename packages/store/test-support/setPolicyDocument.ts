/** Test support: a policy document edited in place, as a writer with database access could. */
import type { Sql } from '../src/Db.ts'

/**
 * Replaces the document of every policy version of the agent, leaving its recorded hash and MAC as they were:
 * for tests of how an edit made outside Bursar is caught (and to put the original back).
 *
 * @example await setPolicyDocument(db, agentId, { limits: { perTransaction: [] } })
 */
export async function setPolicyDocument(sql: Sql, agentId: string, document: unknown): Promise<void> {
  await sql.query('update policies set document = $2 where agent_id = $1', [
    agentId,
    JSON.stringify(document),
  ])
}
