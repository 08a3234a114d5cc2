/** Test support: an intent row written with SQL alone, as a forger with database access would. */
import type { Sql } from '../src/Db.ts'
import type { IntentRow } from '../src/intents/IntentRow.ts'

export type InsertIntentRowParameters = Pick<
  IntentRow,
  | 'id'
  | 'agent_id'
  | 'wallet_id'
  | 'network'
  | 'status'
  | 'request'
  | 'request_hash'
  | 'asset'
  | 'amount'
  | 'recipient'
  | 'policy_version'
  | 'tx'
  | 'max_fee'
  | 'decision_mac'
  | 'decision_expires_at'
> & { recipients: readonly string[] }

/**
 * Inserts an intent row directly, with no decision, reservation, event or audit entry behind it: for tests of
 * what the executor does with a row the server never wrote.
 *
 * @example await insertIntentRow(db, { id: 'int_forged', agent_id, status: 'queued', ... })
 */
export async function insertIntentRow(sql: Sql, row: InsertIntentRowParameters): Promise<void> {
  await sql.query(
    `insert into intents (id, agent_id, wallet_id, network, status, request, request_hash, asset, amount, recipient,
                          recipients, policy_version, tx, max_fee, decision_mac, decision_expires_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
    [
      row.id,
      row.agent_id,
      row.wallet_id,
      row.network,
      row.status,
      JSON.stringify(row.request),
      row.request_hash,
      row.asset,
      row.amount,
      row.recipient,
      row.recipients,
      row.policy_version,
      JSON.stringify(row.tx),
      row.max_fee,
      row.decision_mac,
      row.decision_expires_at,
    ],
  )
}
