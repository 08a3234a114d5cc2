/** One signed version of an intent's transaction: the first, a replacement with higher fees, or a cancellation. */
export type IntentTransactionRow = {
  intent_id: string
  /** 0 for the first transaction; each replacement or cancellation takes the next. */
  version: number
  kind: 'original' | 'replacement' | 'cancel'
  nonce: number
  raw_tx: string
  tx_hash: string
  /**
   * 'mined' for the version that settled the intent; 'replaced' for every other once one is mined; 'refused' for one
   * a node refused when first sent (still looked for on chain, never sent again).
   */
  status: 'pending' | 'mined' | 'replaced' | 'refused'
  created_at: Date
}
