/** Test support: whether a circuit breaker is tripped, read straight from the table. */
import type { Sql } from '../src/Db.ts'

/**
 * True when the breaker of `scopeKey` (an agent id, or `'global'`) exists and is tripped. For tests.
 *
 * @example expect(await isBreakerTripped(db, agentId)).toBe(false)
 */
export async function isBreakerTripped(sql: Sql, scopeKey: string): Promise<boolean> {
  const rows = await sql.query('select 1 as tripped from breakers where scope_key = $1 and tripped', [
    scopeKey,
  ])
  return rows.length > 0
}
