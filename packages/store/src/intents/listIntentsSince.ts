/** An agent's intents of the last `seconds`, oldest first: what a draft policy is replayed against. */
import type { Sql } from '../Db.ts'
import type { IntentRow } from './IntentRow.ts'

/**
 * @example const intents = await listIntentsSince(db, 'agt_1', 86_400) // the last day
 */
export async function listIntentsSince(sql: Sql, agentId: string, seconds: number): Promise<IntentRow[]> {
  return sql.query<IntentRow>(
    'select * from intents where agent_id = $1 and created_at > now() - make_interval(secs => $2) order by created_at, id',
    [agentId, seconds],
  )
}
