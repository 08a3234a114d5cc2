/** What the policy engine is asked about: one intent, in the shape the server builds before signing. */

export type PolicyIntent = {
  agentId: string
  /** Network name, e.g. 'anvil'. */
  network: string
  type: 'transfer' | 'call'
  /** Transaction target: the recipient of a native transfer, or the contract (token) called. */
  to: `0x${string}`
  /** Native value sent with the transaction, in base units. */
  value: bigint
  /** Calldata; absent or '0x' means none. Token transfers built by the server carry ERC-20 transfer data. */
  data?: `0x${string}`
  /** Asset key as submitted: `${network}:native` or `${network}:${token address}`. */
  asset: string
  /** Amount as submitted, in base units of `asset`. */
  amount: bigint
  /** Recipient as submitted. */
  recipient: `0x${string}`
}
