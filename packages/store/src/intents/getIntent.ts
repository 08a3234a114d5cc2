/** One intent by id, with its agent's owner (for authorization). */
import type { Sql } from '../Db.ts'
import type { IntentRow } from './IntentRow.ts'

/** `forUpdate` locks the row: it waits out an executor that has claimed it. */
export async function getIntent(
  sql: Sql,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<(IntentRow & { org_id: string }) | undefined> {
  const [row] = await sql.query<IntentRow & { org_id: string }>(
    `select i.*, a.org_id from intents i join agents a on a.id = i.agent_id
      where i.id = $1${options.forUpdate ? ' for update of i' : ''}`,
    [id],
  )
  return row
}
