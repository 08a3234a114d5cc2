/**
 * What the audit log (hash-chained, sealed) says of an intent before another version of its transaction is signed:
 * the nonce it was first signed at, and how it last ended (confirmed, failed, cancelled) unless a reorg reopened it.
 * The intent row's own nonce and status are a database writer's to change; these are not, unnoticed.
 */
import type { Sql } from '../Db.ts'

export type VersionAuthority = { signed_nonce: number | null; ended_as: string | null }

export async function readVersionAuthority(sql: Sql, intentId: string): Promise<VersionAuthority> {
  const [row] = await sql.query<VersionAuthority>(
    `select (select (l.data->>'nonce')::int from audit_log l
              where l.subject_type = 'intent' and l.subject_id = $1 and l.action = 'intent.signed'
              order by l.id limit 1) as signed_nonce,
            (select case when l.action = 'intent.reorged' then null else l.action end from audit_log l
              where l.subject_type = 'intent' and l.subject_id = $1
                and l.action in ('intent.confirmed', 'intent.failed', 'intent.cancelled', 'intent.reorged')
              order by l.id desc limit 1) as ended_as`,
    [intentId],
  )
  return row ?? { signed_nonce: null, ended_as: null }
}
