/** Test support: one circuit breaker's state, read straight from the table. */
import type { BreakerRow } from '../src/breakers.ts'
import type { Sql } from '../src/Db.ts'

/**
 * Whether the breaker of `scopeKey` (an agent id, or `'global'`) is tripped and by which signal; undefined when
 * it was never written. For tests.
 *
 * @example expect(await readBreakerRow(db, agentId)).toEqual({ tripped: true, signal: 'decision_invalid' })
 */
export async function readBreakerRow(
  sql: Sql,
  scopeKey: string,
): Promise<Pick<BreakerRow, 'tripped' | 'signal'> | undefined> {
  const [row] = await sql.query<Pick<BreakerRow, 'tripped' | 'signal'>>(
    'select tripped, signal from breakers where scope_key = $1',
    [scopeKey],
  )
  return row
}
