/** An intent's status history, in order. */
import type { IntentStatus } from '@bursar/core/api'
import type { Sql } from '../Db.ts'

export type IntentEventRow = {
  from_status: IntentStatus | null
  to_status: IntentStatus
  data: unknown
  created_at: Date
}

export async function listIntentEvents(sql: Sql, intentId: string): Promise<IntentEventRow[]> {
  return sql.query<IntentEventRow>(
    'select from_status, to_status, data, created_at from intent_events where intent_id = $1 order by id',
    [intentId],
  )
}
