/** Whether this database was sealed on upgrade already (sealing is once: later it would bless forged rows). */
import type { Sql } from '../Db.ts'

export async function wasSealedOnUpgrade(sql: Sql): Promise<boolean> {
  const [row] = await sql.query<{ sealed: boolean }>(
    `select exists (select 1 from audit_log where action = 'upgrade.sealed') as sealed`,
  )
  return row?.sealed === true
}
