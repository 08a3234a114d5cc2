/** Test support: one agent's spend reservations of one kind, summed and counted per status. */
import type { Sql } from '../src/Db.ts'
import type { ReservationRow } from './ReservationRow.ts'

/**
 * The total (decimal string) and count of the agent's reservations of `kind` in each status, by status name;
 * statuses with none are left out. For tests.
 *
 * @example const [released, reserved] = await sumReservationsByStatus(db, agentId, 'spend')
 */
export async function sumReservationsByStatus(
  sql: Sql,
  agentId: string,
  kind: ReservationRow['kind'],
): Promise<{ status: ReservationRow['status']; total: string; n: number }[]> {
  return sql.query<{ status: ReservationRow['status']; total: string; n: number }>(
    `select status, sum(amount)::text as total, count(*)::int as n from spend_reservations
      where agent_id = $1 and kind = $2 group by status order by status`,
    [agentId, kind],
  )
}
