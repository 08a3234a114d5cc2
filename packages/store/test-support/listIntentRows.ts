/** Test support: the named columns of the intent rows that match, read straight from the table. */
import type { IntentStatus } from '@bursar/core/api'
import type { Sql } from '../src/Db.ts'
import { conditions } from '../src/fragments/conditions.ts'
import type { IntentRow } from '../src/intents/IntentRow.ts'
import { columnList } from './columnList.ts'

export type ListIntentRowsFilter = { agentId?: string; ids?: readonly string[]; status?: IntentStatus }

export type ListIntentRowsOrder = {
  orderBy?: 'id' | 'id desc' | 'nonce' | 'nonce, id' | 'amount'
  limit?: number
}

/**
 * Reads `columns` of every intent matching all of `filter` (every intent when it is empty), for tests. Rows come
 * in the database's order unless `orderBy` says otherwise.
 *
 * @example const rows = await listIntentRows(db, ['id', 'status'], { agentId }, { orderBy: 'nonce, id' })
 */
export async function listIntentRows<K extends keyof IntentRow>(
  sql: Sql,
  columns: readonly K[],
  filter: ListIntentRowsFilter = {},
  order: ListIntentRowsOrder = {},
): Promise<Pick<IntentRow, K>[]> {
  const { clauses: where, params, add } = conditions()
  if (filter.agentId !== undefined) add('agent_id = ?', filter.agentId)
  if (filter.ids !== undefined) add('id = any(?::text[])', filter.ids)
  if (filter.status !== undefined) add('status = ?', filter.status)
  let text = `select ${columnList(columns)} from intents`
  if (where.length > 0) text += ` where ${where.join(' and ')}`
  if (order.orderBy !== undefined) text += ` order by ${order.orderBy}`
  if (order.limit !== undefined) {
    params.push(order.limit)
    text += ` limit $${params.length}`
  }
  return sql.query<Pick<IntentRow, K>>(text, params)
}
