/**
 * The seam every chain family implements (EVM today; Solana, Algorand next): everything the server does with a chain
 * goes through this interface, so the server holds adapters by network name and never asks which family it has.
 */
import type { IntentRequest } from '../api/intentSchemas.ts'
import type { EffectiveIntent } from './EffectiveIntent.ts'

/** What can be stored as the chain's transaction: plain JSON (it is kept in the database and MACed canonically). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

export type Curve = 'secp256k1' | 'ed25519'

/** What the family needs to know of a network, whatever else its own configuration holds. */
export type NetworkInfo = {
  name: string
  family: string
  nativeSymbol: string
  nativeDecimals: number
  /** Blocks (or the family's equivalent) on top of the inclusion block before an intent counts as confirmed. */
  confirmations: number
}

export type PreparedTransaction = {
  /** The chain's transaction without what the executor assigns (sequence, fees): JSON the adapter reads back. */
  tx: JsonValue
  /** What it does, read from the bytes it stands for. */
  effective: EffectiveIntent
}

export type SimulatedTransaction = {
  /** The transaction as it will be signed, sized by the simulation (an EVM gas limit, say). */
  tx: JsonValue
  /** The most its network fee can cost, in base units of the native asset: reserved and capped by policy. */
  maxFee: bigint
}

/** The bytes a signer must sign, and what the adapter needs back to attach the signature. */
export type SigningInput = {
  curve: Curve
  /** secp256k1: a 32-byte digest; ed25519: the message. */
  payload: Uint8Array
  /** The adapter's own state between building and attaching; not stored. */
  unsigned: unknown
}

export type Receipt = {
  status: 'success' | 'reverted'
  blockNumber: bigint
  /** The block's hash: the same number with another hash later means a reorg took the transaction out. */
  blockHash?: string
  /** What the network really charged, in base units of the native asset. */
  feePaid: bigint
}

export type Balance = {
  /** 'native' or the token's id on the network (canonical form). */
  asset: string
  symbol: string
  decimals: number
  amount: bigint
}

/**
 * Errors are BursarErrors with stable codes: INVALID_ADDRESS, UNKNOWN_ASSET, SIMULATION_REVERTED,
 * INSUFFICIENT_FUNDS, RPC_UNAVAILABLE (retryable), CHAIN_ID_MISMATCH. A broadcast refusal carries
 * `details.retryable` and `details.reason` ('already_known', 'sequence_too_low', 'fee_too_low', …).
 */
export type ChainAdapter = {
  network: NetworkInfo
  /** Identity of the chain for sequence numbers and decision MACs ("evm:8453"): names of one chain share it. */
  chainKey: string
  /** The fee cap per transaction for policies that set none, in base units of the native asset. */
  defaultFeeCap: bigint
  /** Resolves once the RPC serves the configured chain; CHAIN_ID_MISMATCH otherwise. */
  verifyChain(): Promise<void>
  /**
   * Optional: the state of each RPC endpoint of the network, in configured order (`index` from 0), for status pages.
   * Never a URL (URLs carry credentials); `lastError` is a reason code such as 'ECONNREFUSED' or 'timeout'.
   */
  endpoints?(): Array<{
    index: number
    status: 'healthy' | 'unverified' | 'circuit_open' | 'half_open' | 'wrong_chain'
    consecutiveFailures: number
    lastError: string | null
  }>
  /** Optional: stops the adapter's background work (the periodic endpoint check); call it when done with it. */
  close?(): void

  /** The curve and derivation path of the wallet key with this index; the address for its public key. */
  curve: Curve
  derivationPath(index: number): string
  addressOf(publicKey: Uint8Array): string
  /** How people read an address of this chain (EVM: the EIP-55 checksum); the engine compares canonical forms. */
  formatAddress(address: string): string

  /** Request → the chain's transaction and its effects. Throws INVALID_ADDRESS, UNKNOWN_ASSET, INVALID_AMOUNT. */
  prepare(agentId: string, request: IntentRequest): PreparedTransaction
  /** Adds the fee effect (the ceiling the simulation sized) to an effective intent. */
  withFee(effective: EffectiveIntent, maxFee: bigint): EffectiveIntent
  /** Dry-runs `tx` from `from`: surfaces reverts and missing funds, sizes it and its fee ceiling. */
  simulate(from: string, tx: JsonValue): Promise<SimulatedTransaction>
  /**
   * What a human approval of `tx` binds to (hashed by approvalHash): the transaction without the fields the executor
   * may still set or change after the decision (sequence number; fees and what sizes them, within the reserved fee
   * ceiling the policy capped). Whatever else reaches the signer stays in, so changing it voids the approval.
   */
  approvalBinding(tx: JsonValue): JsonValue

  /** Whether transactions of one account carry consecutive sequence numbers the executor assigns (EVM nonces). */
  sequenced: boolean
  /** The next sequence number the chain expects from `address` (pending included); sequenced families only. */
  nextSequence(address: string): Promise<number>
  /**
   * Right before signing: re-checks `tx` against the chain and prices it within `maxFee`. Either what to sign at a
   * given sequence number, or why to wait (fees above what was reserved, say). Throws like `simulate`.
   */
  readyToSign(parameters: {
    from: string
    tx: JsonValue
    maxFee: bigint
  }): Promise<{ wait: string } | { build(sequence: number): SigningInput }>
  /** The signed transaction to broadcast, and its id on the chain. */
  attachSignature(
    input: SigningInput,
    signature: { bytes: Uint8Array; recovery?: number },
  ): { raw: string; txId: string }
  /** A transaction that moves nothing, to use up a sequence number a refused transaction left behind; if any. */
  noopTransaction(address: string): JsonValue | undefined

  /**
   * Sequenced families: a new version of the transaction signed at `sequence` whose fees follow the node's
   * replacement rules over `previousRaw` (EVM: both fees at least 10 % higher, and at least today's), so it can take
   * the place of a stuck one; `cancel`: the family's transaction that moves nothing (noopTransaction) instead of
   * `tx`. Never above `maxFee`, the fee reserved for the intent: `{ wait }` when no such version fits in it.
   */
  replacement?(parameters: {
    from: string
    tx: JsonValue
    maxFee: bigint
    sequence: number
    previousRaw: string
    cancel: boolean
  }): Promise<{ wait: string } | { input: SigningInput }>
  /**
   * Sequenced families: how many transactions of `address` are mined (the next sequence number the chain has), as of
   * block `atBlock` (default the newest).
   */
  minedSequence?(address: string, atBlock?: bigint): Promise<number>

  /** The hash of the block at this height on the node's chain, or null when the node has no such block (yet). */
  blockHashAt?(blockNumber: bigint): Promise<string | null>

  broadcast(raw: string): Promise<void>
  getReceipt(txId: string): Promise<Receipt | null>
  /** The node still knows the transaction (mempool or chain); false: it may need sending again. */
  isKnown(txId: string): Promise<boolean>
  getBlockNumber(): Promise<bigint>
  getBalances(address: string): Promise<Balance[]>
}

/** What the server hands a family's adapters: where to report what happens to their RPC endpoints. */
export type AdapterContext = {
  log?: (level: 'error' | 'warn' | 'info', message: string, fields: Record<string, unknown>) => void
}

/** A family: how to read its networks' configuration and make an adapter for each. */
export type ChainFamily<N extends NetworkInfo = NetworkInfo> = {
  family: string
  /** Checks one network's configuration; returns it typed, or throws with issues at their paths. */
  parseNetwork(
    input: unknown,
  ): { ok: true; network: N } | { ok: false; issues: Array<{ path: string; message: string }> }
  createAdapter(network: N, context?: AdapterContext): ChainAdapter
}
