/** Test support: how many intent rows match, counted straight from the table. */
import type { IntentStatus } from '@bursar/core/api'
import type { Sql } from '../src/Db.ts'

export type CountIntentRowsFilter = {
  agentId?: string
  status?: IntentStatus
  /** Only intents refused before any decision was made (`decision is null`). */
  undecided?: boolean
}

/**
 * Counts the intents matching all of `filter` (every intent when it is empty), for tests that check whether a
 * request stored anything.
 *
 * @example const refused = await countIntentRows(db, { agentId, status: 'rejected', undecided: true })
 */
export async function countIntentRows(sql: Sql, filter: CountIntentRowsFilter = {}): Promise<number> {
  const where: string[] = []
  const params: unknown[] = []
  if (filter.agentId !== undefined) {
    params.push(filter.agentId)
    where.push(`agent_id = $${params.length}`)
  }
  if (filter.status !== undefined) {
    params.push(filter.status)
    where.push(`status = $${params.length}`)
  }
  if (filter.undecided) where.push('decision is null')
  const [row] = await sql.query<{ n: number }>(
    `select count(*)::int as n from intents${where.length > 0 ? ` where ${where.join(' and ')}` : ''}`,
    params,
  )
  return row!.n
}
