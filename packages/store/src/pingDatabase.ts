/** Whether the database answers: for readiness checks. Throws what the query threw when it does not. */
import type { Sql } from './Db.ts'

export async function pingDatabase(sql: Sql): Promise<void> {
  await sql.query('select 1')
}
