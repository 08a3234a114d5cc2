/**
 * Intents of a network settled by a transaction mined at or after a block — confirmed, or failed (reverted) and
 * cancelled through a mined version — : what a reorg could still take out.
 */
import type { Sql } from '../Db.ts'
import type { IntentRow } from './IntentRow.ts'

export async function listRecentlySettled(
  sql: Sql,
  network: string,
  fromBlock: number,
  limit = 500,
): Promise<IntentRow[]> {
  return sql.query<IntentRow>(
    `select * from intents where status in ('confirmed', 'failed', 'cancelled') and network = $1
        and block_number >= $2
      order by block_number desc limit $3`,
    [network, fromBlock, limit],
  )
}
