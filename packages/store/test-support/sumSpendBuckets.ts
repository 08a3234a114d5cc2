/** Test support: what an agent's rolling-window buckets hold. */
import type { Sql } from '../src/Db.ts'

/**
 * Sums the agent's spend buckets (of one asset when `asset` is given) as a decimal string; null when there are
 * none. For tests that check what a window counts.
 *
 * @example const total = await sumSpendBuckets(db, { agentId, asset: 'anvil:native' })
 */
export async function sumSpendBuckets(
  sql: Sql,
  filter: { agentId: string; asset?: string },
): Promise<string | null> {
  const [row] = await sql.query<{ total: string | null }>(
    filter.asset === undefined
      ? 'select sum(amount)::text as total from spend_buckets where agent_id = $1'
      : 'select sum(amount)::text as total from spend_buckets where agent_id = $1 and asset = $2',
    filter.asset === undefined ? [filter.agentId] : [filter.agentId, filter.asset],
  )
  return row!.total
}
