/** The intent an agent already submitted under an Idempotency-Key, if any. */
import type { Sql } from '../Db.ts'
import type { IntentRow } from './IntentRow.ts'

export async function findIntentByIdempotencyKey(
  sql: Sql,
  agentId: string,
  key: string,
): Promise<IntentRow | undefined> {
  const [row] = await sql.query<IntentRow>(
    'select * from intents where agent_id = $1 and idempotency_key = $2',
    [agentId, key],
  )
  return row
}
