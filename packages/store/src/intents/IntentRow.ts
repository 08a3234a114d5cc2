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
  /** MAC over (intent, wallet, derivation index, chain, nonce, first transaction hash), written when it is signed. */
  signing_mac: string | null
  raw_tx: string | null
  tx_hash: string | null
  block_number: number | null
  error: { code: string; message: string } | null
  /** When the newest version of its transaction was last handed to a node. */
  last_sent_at: Date | null
  /** Someone asked to cancel it after it was signed: a zero-value self-transfer at its nonce settles it. */
  cancel_requested_at: Date | null
  /** When its nonce was first seen used with none of its versions mined (settled only if a later look agrees). */
  nonce_used_seen_at: Date | null
  /** The block its transaction was seen mined in (before and after depth): a reorg is another hash, or none. */
  block_hash: string | null
  /** What the network charged for the version that was mined (base units of the native asset). */
  fee_paid: string | null
  attempts: number
  next_attempt_at: Date
  created_at: Date
  updated_at: Date
}
