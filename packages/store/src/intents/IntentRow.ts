/** An intent as stored: what was asked, what was decided, and how far it got on chain. */
import type { IntentStatus } from '@bursar/core/api'

export type IntentRow = {
  id: string
  agent_id: string
  wallet_id: string
  network: string
  /** Moves only along core's transition table (`@bursar/core/intents`), through transitionIntent and friends. */
  status: IntentStatus
  request: unknown
  request_hash: string
  idempotency_key: string | null
  asset: string
  amount: string
  recipient: string
  /** Every party the intent pays or grants something (canonical form). */
  recipients: string[] | null
  decision: unknown
  policy_version: number | null
  /** The chain's transaction as decided, JSON (null for intents refused before one existed). */
  tx: unknown
  /** The most the network fee may cost (base units of the native asset); what was reserved for it. */
  max_fee: string | null
  /** MAC over the decision and what it allows to be signed; the executor signs nothing without a valid one. */
  decision_mac: string | null
  decision_expires_at: Date | null
  /** For a nonce filler: the intent whose sequence number it fills. */
  fills_for: string | null
  nonce: number | null
  raw_tx: string | null
  tx_hash: string | null
  block_number: number | null
  error: { code: string; message: string } | null
  attempts: number
  next_attempt_at: Date
  created_at: Date
  updated_at: Date
}
