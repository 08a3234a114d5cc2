/** What the executor re-reads right before signing, for a batch of claimed intents, in one round trip. */
import type { Sql } from './Db.ts'

export type SigningAuthorityRow = {
  intent_id: string
  agent_status: 'active' | 'paused' | 'deleted'
  derivation_index: number
  wallet_address: string
  policy_document: unknown
  policy_document_hash: string | null
  policy_mac: string | null
  /**
   * The audit log already records this intent as signed, or as ended (cancelled, failed, refused): a queued row that
   * says otherwise was set back, and signing it would move value no reservation counts. Null when it records neither.
   */
  ended_as: string | null
  /** Some reservation of the intent was released or committed already: it no longer counts against any limit. */
  reservations_settled: boolean
  /** The audit log records the decision (intent.decided); a queued row without one was never decided by Bursar. */
  decision_recorded: boolean
  /**
   * The newest policy version the audit log had recorded for the agent when the intent was decided. Decisions and
   * policy changes hold the agent's row lock, so entry order is their order: a decision under an older version than
   * this one used a policy whose successor was deleted.
   */
  policy_version_recorded: number | null
}

/** Audit actions after which an intent never signs again. */
const endingActions = [
  'intent.signed',
  'intent.cancelled',
  'intent.failed',
  'intent.refused',
  'intent.expired',
  'intent.denied',
]

export async function readSigningAuthority(
  tx: Sql,
  intentIds: readonly string[],
): Promise<SigningAuthorityRow[]> {
  if (intentIds.length === 0) return []
  return tx.query<SigningAuthorityRow>(
    `select i.id as intent_id, a.status as agent_status, w.derivation_index, w.address as wallet_address,
            p.document as policy_document, p.document_hash as policy_document_hash, p.mac as policy_mac,
            (select l.action from audit_log l where l.subject_type = 'intent' and l.subject_id = i.id
                and l.action = any($2::text[]) limit 1) as ended_as,
            exists (select 1 from spend_reservations r where r.intent_id = i.id and r.status <> 'reserved')
              as reservations_settled,
            d.id is not null as decision_recorded,
            (select max((l.data->>'version')::int) from audit_log l
              where l.subject_type = 'agent' and l.subject_id = i.agent_id and l.action = 'policy.set'
                and l.id < d.id) as policy_version_recorded
       from intents i
       left join lateral (select min(l.id) as id from audit_log l
                           where l.subject_type = 'intent' and l.subject_id = i.id and l.action = 'intent.decided') d
         on true
       join agents a on a.id = i.agent_id
       join wallets w on w.id = i.wallet_id
       left join policies p on p.agent_id = i.agent_id and p.version = i.policy_version
      where i.id = any($1::text[])`,
    [intentIds, endingActions],
  )
}
