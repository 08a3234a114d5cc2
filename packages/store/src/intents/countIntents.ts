/** How many intents are in any of `statuses`, across all agents (benchmarks and operator tooling). */
import type { IntentStatus } from '@bursar/core/api'
import type { Sql } from '../Db.ts'

/** @example const finished = await countIntents(db, ['confirmed', 'failed']) */
export async function countIntents(sql: Sql, statuses: readonly IntentStatus[]): Promise<number> {
  const [row] = await sql.query<{ n: number }>(
    'select count(*)::int as n from intents where status = any($1::text[])',
    [statuses],
  )
  return row!.n
}
