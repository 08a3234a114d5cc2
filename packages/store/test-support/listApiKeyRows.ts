/** Test support: API key rows as stored (hashes included), read straight from the table. */
import type { ApiKeyRow } from '../src/apiKeys.ts'
import type { Sql } from '../src/Db.ts'

export type ListApiKeyRowsFilter = {
  agentId?: string
  /** Only keys not revoked. */
  active?: boolean
  limit?: number
}

/**
 * Every API key row matching all of `filter`, with every column, for tests (what is stored must never be the
 * secret itself). Rows come in the database's order.
 *
 * @example const [key] = await listApiKeyRows(db, { agentId, active: true, limit: 1 })
 */
export async function listApiKeyRows(
  sql: Sql,
  filter: ListApiKeyRowsFilter = {},
): Promise<(ApiKeyRow & { hash: string })[]> {
  const where: string[] = []
  const params: unknown[] = []
  if (filter.agentId !== undefined) {
    params.push(filter.agentId)
    where.push(`agent_id = $${params.length}`)
  }
  if (filter.active) where.push('revoked_at is null')
  let text = 'select * from api_keys'
  if (where.length > 0) text += ` where ${where.join(' and ')}`
  if (filter.limit !== undefined) {
    params.push(filter.limit)
    text += ` limit $${params.length}`
  }
  return sql.query<ApiKeyRow & { hash: string }>(text, params)
}
