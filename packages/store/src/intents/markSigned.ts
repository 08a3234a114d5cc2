/** Executor fast path: many intents queued → signed in one statement, with their events and audit entries. */
import { assertIntentTransition } from '@bursar/core/intents'
import type { Sql } from '../Db.ts'
import { insertAuditRows } from '../fragments/insertAuditRows.ts'
import { insertIntentEventRows } from '../fragments/insertIntentEventRows.ts'

/** Rows no longer queued (cancelled meanwhile) are left alone; their ids are not returned. */
export async function markSigned(
  tx: Sql,
  signed: ReadonlyArray<{
    id: string
    nonce: number | null
    rawTx: string
    txHash: string
    network: string
    /** The signing MAC (server's integrity/signingMac.ts): binds wallet, chain, nonce and the first hash. */
    signingMac: string
  }>,
): Promise<string[]> {
  assertIntentTransition('queued', 'signed')
  if (signed.length === 0) return []
  const rows = await tx.query<{ id: string }>(
    `with u as (
       update intents i set status = 'signed', nonce = v.nonce, raw_tx = v.raw_tx, tx_hash = v.tx_hash,
              signing_mac = v.signing_mac, next_attempt_at = now(), attempts = 0, updated_at = now()
         from unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $7::text[])
           as v(id, nonce, raw_tx, tx_hash, network, signing_mac)
        where i.id = v.id and i.status = 'queued'
       returning i.id, v.nonce, v.tx_hash, v.network),
     e as (${insertIntentEventRows(
       `select id, 'queued', 'signed', jsonb_build_object('nonce', nonce, 'tx_hash', tx_hash) from u`,
     )}),
     a as (${insertAuditRows(
       `select $6::timestamptz, 'system', null, 'intent.signed', 'intent', id,
               jsonb_build_object('nonce', nonce, 'tx_hash', tx_hash, 'network', network) from u`,
     )})
     select id from u`,
    [
      signed.map((s) => s.id),
      signed.map((s) => s.nonce),
      signed.map((s) => s.rawTx),
      signed.map((s) => s.txHash),
      signed.map((s) => s.network),
      new Date().toISOString(),
      signed.map((s) => s.signingMac),
    ],
  )
  return rows.map((row) => row.id)
}
