/**
 * Records a new signed version of an intent's transaction (a replacement or a cancellation) before it is sent, with
 * the intent's first transaction as version 0 when this is the second: every version that might be mined is known.
 */
import type { Sql } from '../Db.ts'
import type { IntentTransactionRow } from './IntentTransactionRow.ts'

/**
 * The caller holds the intent's row lock, so versions are numbered without a race. The intent's own `raw_tx` and
 * `tx_hash` stay those of the first transaction until a version is mined. Undefined when these very bytes are a
 * version already (signing the same transaction again gives the same bytes): nothing new to send.
 *
 * @example await addIntentTransaction(tx, { intentId, kind: 'replacement', nonce: 7, rawTx, txHash })
 */
export async function addIntentTransaction(
  tx: Sql,
  version: {
    intentId: string
    kind: 'replacement' | 'cancel'
    nonce: number
    rawTx: string
    txHash: string
  },
): Promise<IntentTransactionRow | undefined> {
  await tx.query(
    `insert into intent_transactions (intent_id, version, kind, nonce, raw_tx, tx_hash, created_at)
     select id, 0, 'original', nonce, raw_tx, tx_hash, coalesce(last_sent_at, updated_at) from intents
      where id = $1 and raw_tx is not null and nonce is not null
     on conflict do nothing`,
    [version.intentId],
  )
  const [row] = await tx.query<IntentTransactionRow>(
    `insert into intent_transactions (intent_id, version, kind, nonce, raw_tx, tx_hash)
     select $1, coalesce(max(version), -1) + 1, $2, $3, $4, $5 from intent_transactions where intent_id = $1
     on conflict (intent_id, tx_hash) do nothing
     returning *`,
    [version.intentId, version.kind, version.nonce, version.rawTx, version.txHash],
  )
  return row
}
