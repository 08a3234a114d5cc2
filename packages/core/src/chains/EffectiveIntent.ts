/**
 * What an intent really does, in terms every chain shares: each movement of value the signed transaction makes,
 * read from the bytes that get signed (never from the labels a request carries). The policy engine sees only this.
 */

/**
 * One thing the transaction does with the wallet's value.
 * - transfer: `amount` of `asset` leaves the wallet for `to` (a burn is a transfer to the chain's zero address).
 * - approval: `to` may move up to `amount` of `asset` later without asking Bursar again; counted as spent now.
 *   An operator or "approve all" grant has no amount: `unlimited` is set and `amount` is the largest uint256.
 * - fee: the most the network may charge for including the transaction, paid in its native asset.
 */
export type Effect = {
  kind: 'transfer' | 'approval' | 'fee'
  /** Asset key: `${network}:native` or `${network}:${token id in the chain's canonical text form}`. */
  asset: string
  /** Base units of `asset`. */
  amount: bigint
  /** Who receives (transfer) or may spend (approval), in the chain's canonical text form; absent for fees. */
  to?: string
  /** An approval without an amount (operator, setApprovalForAll): as good as unlimited. */
  unlimited?: boolean
  /** The function that produces this effect, e.g. "transferAndCall", for explanations. */
  via?: string
  /** The chain-specific id of the call that produces it (EVM: its 4-byte selector), inside a multicall included. */
  selector?: string
}

/** A function call the transaction makes, decoded as far as the chain adapter understands it. */
export type EffectiveCall = {
  /** Chain-specific function id; on EVM the lowercase 4-byte selector ("0xa9059cbb"), shorter for short calldata. */
  selector: string
  /** The function's name when the adapter knows it, e.g. "transfer". */
  function?: string
  /** Calls made through this one (a token's multicall), decoded the same way. */
  calls?: EffectiveCall[]
}

export type EffectiveIntent = {
  agentId: string
  /** Network name, e.g. "anvil". */
  network: string
  type: 'transfer' | 'call'
  /** The account or contract the transaction is addressed to (canonical text form). */
  target: string
  /** Native value sent to `target` with the transaction, in base units. */
  value: bigint
  /** The function called, when the transaction carries calldata. */
  call?: EffectiveCall
  /** Every function id the call runs (the outer one and those inside a multicall), for function rules. */
  selectors: readonly string[]
  /** Every movement of value, fees included; zero amounts are kept when a function names a counterparty. */
  effects: readonly Effect[]
  /**
   * Parts of the call whose effect on value the adapter cannot read (an unknown function, an NFT by id). The engine
   * denies them where a token is involved unless the owner allows the function explicitly.
   */
  unvalued: ReadonlyArray<{ selector: string; reason: string }>
  /** `target` is a token the network's configuration lists. */
  targetIsToken: boolean
  /** Set when calldata carries a known function's id but its arguments do not decode. */
  malformed?: string
  /** What the request said it moves: a transfer's labels must match its effects. */
  submitted: { asset: string; amount: bigint; recipient: string }
}
