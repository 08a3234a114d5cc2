/** Test support: row counts of whole tables, read in one statement so they agree with each other. */
import type { Sql } from '../src/Db.ts'

export type TableName =
  | 'agents'
  | 'api_keys'
  | 'audit_log'
  | 'intent_events'
  | 'intents'
  | 'key_material'
  | 'policies'
  | 'spend_reservations'

/**
 * How many rows each of `tables` holds, keyed by table name: for tests that check a request wrote nothing (or
 * exactly what it should).
 *
 * @example expect(await countRows(db, ['key_material'])).toEqual({ key_material: 0 })
 */
export async function countRows<T extends TableName>(
  sql: Sql,
  tables: readonly T[],
): Promise<Record<T, number>> {
  if (tables.length === 0) throw new Error('no tables')
  const [row] = await sql.query<Record<T, number>>(
    `select ${tables.map((table) => `(select count(*)::int from ${table}) as ${table}`).join(',\n')}`,
  )
  return row!
}
