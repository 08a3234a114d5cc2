/** The API shape of an intent. Signed raw transactions stay inside Bursar. */
import type { Intent, IntentRequest, IntentStatus } from '@bursar/core/api'
import type { IntentRow } from '@bursar/store'

export function toIntentResponse(row: IntentRow): Intent {
  return {
    id: row.id,
    agent_id: row.agent_id,
    wallet_id: row.wallet_id,
    status: row.status as IntentStatus,
    request: row.request as IntentRequest,
    network: row.network,
    asset: row.asset,
    amount: row.amount,
    recipient: row.recipient,
    decision: (row.decision ?? null) as Intent['decision'],
    policy_version: row.policy_version,
    nonce: row.nonce,
    tx_hash: row.tx_hash,
    block_number: row.block_number,
    fee_paid: row.fee_paid,
    cancel_requested_at: row.cancel_requested_at?.toISOString() ?? null,
    error: row.error,
    idempotency_key: row.idempotency_key,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  }
}
