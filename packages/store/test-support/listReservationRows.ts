/** Test support: the named columns of the spend reservation rows that match, read straight from the table. */
import type { Sql } from '../src/Db.ts'
import { columnList } from './columnList.ts'
import type { ReservationRow } from './ReservationRow.ts'

export type ListReservationRowsFilter = { intentId?: string; kind?: ReservationRow['kind'] }

/**
 * Reads `columns` of every reservation matching all of `filter` (amounts as text), for tests that check what
 * was reserved, committed or released. Rows come in the database's order unless `orderBy` is given.
 *
 * @example const fees = await listReservationRows(db, ['amount', 'status'], { intentId, kind: 'fee' })
 */
export async function listReservationRows<K extends keyof ReservationRow>(
  sql: Sql,
  columns: readonly K[],
  filter: ListReservationRowsFilter = {},
  orderBy?: 'id',
): Promise<Pick<ReservationRow, K>[]> {
  const where: string[] = []
  const params: unknown[] = []
  if (filter.intentId !== undefined) {
    params.push(filter.intentId)
    where.push(`intent_id = $${params.length}`)
  }
  if (filter.kind !== undefined) {
    params.push(filter.kind)
    where.push(`kind = $${params.length}`)
  }
  let text = `select ${columnList(columns, { amount: 'text', usd_micros: 'text' })} from spend_reservations`
  if (where.length > 0) text += ` where ${where.join(' and ')}`
  if (orderBy !== undefined) text += ` order by ${orderBy}`
  return sql.query<Pick<ReservationRow, K>>(text, params)
}
