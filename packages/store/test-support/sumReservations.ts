/** Test support: the total and count of the spend reservations that match. */
import type { Sql } from '../src/Db.ts'
import { conditions } from '../src/fragments/conditions.ts'
import type { ReservationRow } from './ReservationRow.ts'

export type SumReservationsFilter = {
  agentId?: string
  intentId?: string
  kind?: ReservationRow['kind']
  /** Leave out reservations in this status (`'released'`: only what still counts against a limit). */
  excludeStatus?: ReservationRow['status']
}

/**
 * Sums the amounts (as a decimal string, `'0'` when none match) and counts the reservations matching all of
 * `filter`, for tests.
 *
 * @example const { total, n } = await sumReservations(db, { agentId, kind: 'spend', excludeStatus: 'released' })
 */
export async function sumReservations(
  sql: Sql,
  filter: SumReservationsFilter,
): Promise<{ total: string; n: number }> {
  const { clauses: where, params, add } = conditions()
  if (filter.agentId !== undefined) add('agent_id = ?', filter.agentId)
  if (filter.intentId !== undefined) add('intent_id = ?', filter.intentId)
  if (filter.excludeStatus !== undefined) add('status <> ?', filter.excludeStatus)
  if (filter.kind !== undefined) add('kind = ?', filter.kind)
  const [row] = await sql.query<{ total: string; n: number }>(
    `select coalesce(sum(amount), 0)::text as total, count(*)::int as n from spend_reservations${
      where.length > 0 ? ` where ${where.join(' and ')}` : ''
    }`,
    params,
  )
  return row!
}
