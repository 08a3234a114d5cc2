/** Test support: one agent's intents counted per status. */
import type { IntentStatus } from '@bursar/core/api'
import type { Sql } from '../src/Db.ts'

/**
 * How many of the agent's intents are in each status, by status name; statuses with none are left out. For tests.
 *
 * @example expect(await countIntentsByStatus(db, agentId)).toEqual([{ status: 'confirmed', n: 3 }])
 */
export async function countIntentsByStatus(
  sql: Sql,
  agentId: string,
): Promise<{ status: IntentStatus; n: number }[]> {
  return sql.query<{ status: IntentStatus; n: number }>(
    'select status, count(*)::int as n from intents where agent_id = $1 group by status order by status',
    [agentId],
  )
}
