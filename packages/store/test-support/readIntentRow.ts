/** Test support: the named columns of one intent row, read straight from the table. */

import type { Sql } from '../src/Db.ts'
import type { IntentRow } from '../src/intents/IntentRow.ts'
import { columnList } from './columnList.ts'

/**
 * Reads `columns` of the intent `id` as stored, for tests that check what was written (or tampered with) without
 * going through the API. Undefined when there is no such intent.
 *
 * @example const row = await readIntentRow(db, id, ['status', 'error'])
 */
export async function readIntentRow<K extends keyof IntentRow>(
  sql: Sql,
  id: string,
  columns: readonly K[],
): Promise<Pick<IntentRow, K> | undefined> {
  const [row] = await sql.query<Pick<IntentRow, K>>(
    `select ${columnList(columns)} from intents where id = $1`,
    [id],
  )
  return row
}
