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
  /** An intent.signed audit entry already exists for this intent: it was signed once and is being replayed. */
  signed_before: boolean
}

export async function readSigningAuthority(
  tx: Sql,
  intentIds: readonly string[],
): Promise<SigningAuthorityRow[]> {
  if (intentIds.length === 0) return []
  return tx.query<SigningAuthorityRow>(
    `select i.id as intent_id, a.status as agent_status, w.derivation_index, w.address as wallet_address,
            p.document as policy_document, p.document_hash as policy_document_hash, p.mac as policy_mac,
            exists (select 1 from audit_log l where l.subject_type = 'intent' and l.subject_id = i.id
                     and l.action = 'intent.signed') as signed_before
       from intents i
       join agents a on a.id = i.agent_id
       join wallets w on w.id = i.wallet_id
       left join policies p on p.agent_id = i.agent_id and p.version = i.policy_version
      where i.id = any($1::text[])`,
    [intentIds],
  )
}
