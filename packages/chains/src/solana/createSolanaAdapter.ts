/**
 * The Solana chain adapter: Bursar's ChainAdapter over one Solana cluster (@solana/kit). Transactions are stored as
 * JSON instructions (solanaTransaction.ts); what gets signed is a v0 message paid by the wallet, with a compute budget
 * sized by simulation and a priority fee within the fee ceiling reserved at decision time. Not sequenced: a
 * transaction carries a recent blockhash instead of a nonce, so resending the same bytes is harmless and an expired
 * one can never land.
 */
import { parseAmount } from '@bursar/core/amounts'
import type { ChainAdapter, EffectiveIntent, JsonValue, Receipt, SigningInput } from '@bursar/core/chains'
import { BursarError } from '@bursar/core/errors'
import {
  type Address,
  address,
  getAddressDecoder,
  getBase58Decoder,
  getBase64EncodedWireTransaction,
  isAddress,
  type Signature,
  type Transaction,
} from '@solana/kit'
import type { SolanaNetwork } from './solanaNetworkSchema.ts'
import { createSolanaRpcFor } from './solanaRpc.ts'
import {
  compileSolanaTransaction,
  feeCeiling,
  type SolanaTransactionJson,
  simulationComputeUnits,
} from './solanaTransaction.ts'

/** Solana's most lamports in one account: a u64. */
const maxLamports = 2n ** 64n - 1n

export type SolanaChainAdapter = ChainAdapter & { network: SolanaNetwork }

/**
 * @example
 * const adapter = createSolanaAdapter(network)
 * const { tx, effective } = adapter.prepare('agt_1', { type: 'transfer', network: 'solana-dev', to, amount: '5000' })
 * const { tx: sized, maxFee } = await adapter.simulate(from, tx)
 */
export function createSolanaAdapter(network: SolanaNetwork): SolanaChainAdapter {
  const rpc = createSolanaRpcFor(network)
  const native = `${network.name}:native`
  const price = BigInt(network.priorityFeeMicroLamports)

  const wire = (transaction: Transaction) => getBase64EncodedWireTransaction(transaction)
  const sizedLimit = (consumed: bigint) =>
    // What the simulation used, plus room for the compute budget instructions themselves and state that moves.
    Math.min(simulationComputeUnits, Math.ceil(Number(consumed) * 1.2) + 300)

  return {
    network,
    chainKey: `solana:${network.genesisHash}`,
    defaultFeeCap:
      network.defaultMaxFee === undefined
        ? 10n ** BigInt(Math.max(network.nativeDecimals - 2, 0))
        : BigInt(network.defaultMaxFee),
    async verifyChain() {
      const reported = await rpc.genesisHash()
      if (reported !== network.genesisHash) {
        throw new BursarError(
          'CHAIN_ID_MISMATCH',
          `network "${network.name}" is configured with genesis hash ${network.genesisHash} but RPC #1 reports ${reported}`,
          { details: { network: network.name, configured: network.genesisHash, reported } },
        )
      }
    },
    curve: 'ed25519',
    derivationPath: (index) => {
      if (!Number.isSafeInteger(index) || index < 0 || index >= 0x80000000) {
        throw new BursarError(
          'VALIDATION_FAILED',
          `Solana address index must be an integer in [0, 2^31), got ${index}`,
        )
      }
      // The path Solana wallets (Phantom, the Solana CLI) use; SLIP-10 ed25519 derives hardened levels only.
      return `m/44'/501'/${index}'/0'`
    },
    addressOf: (publicKey) => getAddressDecoder().decode(publicKey),
    formatAddress: (value) => value,

    prepare(agentId, request) {
      if (request.type !== 'transfer') {
        throw new BursarError(
          'VALIDATION_FAILED',
          `calls are not supported on Solana network "${network.name}" yet`,
          {
            details: { network: network.name, type: request.type },
          },
        )
      }
      const assetName = request.asset ?? 'native'
      if (assetName !== 'native' && assetName.toUpperCase() !== network.nativeSymbol.toUpperCase()) {
        throw new BursarError(
          'UNKNOWN_ASSET',
          `asset "${assetName}" is not configured on network "${network.name}"`,
          {
            details: { asset: assetName, network: network.name, known: [] },
          },
        )
      }
      if (!isAddress(request.to)) {
        throw new BursarError(
          'INVALID_ADDRESS',
          `"${request.to}" is not a Solana address (base58, 32 bytes)`,
          {
            details: { field: 'to', network: network.name },
          },
        )
      }
      const lamports = parseAmount(request.amount)
      if (lamports > maxLamports) {
        throw new BursarError('INVALID_AMOUNT', 'amount exceeds 2^64 - 1 lamports', {
          details: { field: 'amount' },
        })
      }
      const tx: SolanaTransactionJson = {
        instructions: [
          { program: 'system', kind: 'transfer', to: request.to, lamports: lamports.toString() },
        ],
      }
      return { tx, effective: effectiveOf(agentId, tx) }
    },
    withFee: (effective, maxFee) => ({
      ...effective,
      effects: [
        ...effective.effects.filter((effect) => effect.kind !== 'fee'),
        { kind: 'fee', asset: native, amount: maxFee },
      ],
    }),
    // What the executor sets after the decision: the compute budget and its price, within the reserved fee.
    approvalBinding: (tx) => ({
      instructions: (tx as SolanaTransactionJson).instructions as unknown as JsonValue,
    }),

    async simulate(from, tx) {
      const json = tx as SolanaTransactionJson
      const transaction = compileSolanaTransaction(from, json, await rpc.latestBlockhash())
      const result = await rpc.simulate(wire(transaction))
      if (result.err !== null) throw simulationError(network, result.err, result.logs ?? [])
      const computeUnitLimit = sizedLimit(result.unitsConsumed ?? BigInt(simulationComputeUnits))
      const sized: SolanaTransactionJson = { ...json, computeUnitLimit }
      return { tx: sized as unknown as JsonValue, maxFee: feeCeiling(computeUnitLimit, price) }
    },

    sequenced: false,
    nextSequence: () =>
      Promise.reject(new BursarError('INTERNAL', 'Solana transactions carry no sequence number')),
    async readyToSign({ from, tx, maxFee }) {
      const json = tx as SolanaTransactionJson
      const limit = json.computeUnitLimit ?? simulationComputeUnits
      // The priority fee is what is left of the reserved fee, up to the network's price.
      let unitPrice = price
      if (feeCeiling(limit, unitPrice) > maxFee) {
        if (feeCeiling(limit, 0n) > maxFee)
          return { wait: 'the reserved fee does not cover the signature fee' }
        unitPrice = ((maxFee - feeCeiling(limit, 0n)) * 1_000_000n) / BigInt(limit)
      }
      const lifetime = await rpc.latestBlockhash()
      const priced: SolanaTransactionJson = {
        ...json,
        computeUnitLimit: limit,
        computeUnitPrice: unitPrice.toString(),
      }
      return {
        build(): SigningInput {
          const transaction = compileSolanaTransaction(from, priced, lifetime)
          return {
            curve: 'ed25519',
            payload: new Uint8Array(transaction.messageBytes),
            unsigned: { transaction, from },
          }
        },
      }
    },
    attachSignature(input, signature) {
      const { transaction, from } = input.unsigned as { transaction: Transaction; from: string }
      const signed: Transaction = {
        ...transaction,
        signatures: { ...transaction.signatures, [address(from)]: signature.bytes as never },
      }
      return { raw: wire(signed), txId: getBase58Decoder().decode(signature.bytes) }
    },
    noopTransaction: () => undefined,

    async broadcast(raw) {
      try {
        await rpc.send(raw as ReturnType<typeof wire>)
      } catch (error) {
        // Sent before (a rebroadcast after a crash, or the node took it and the answer was lost): accepted.
        if (error instanceof BursarError && error.details.reason === 'already_known') return
        throw error
      }
    },
    async getReceipt(txId): Promise<Receipt | null> {
      const status = await rpc.status(txId as Signature)
      if (status === null || status.confirmationStatus === 'processed') return null
      const landed = await rpc.transaction(txId as Signature)
      return {
        // A failed Solana transaction lands and pays its fee: like a reverted EVM call.
        status: status.err === null ? 'success' : 'reverted',
        blockNumber: BigInt(status.slot),
        feePaid: BigInt(landed?.meta?.fee ?? 0n),
      }
    },
    isKnown: async (txId) => (await rpc.status(txId as Signature)) !== null,
    getBlockNumber: () => rpc.slot(),
    async getBalances(owner) {
      const lamports = await rpc.balance(owner as Address)
      return [
        {
          asset: 'native',
          symbol: network.nativeSymbol,
          decimals: network.nativeDecimals,
          amount: BigInt(lamports),
        },
      ]
    },
  }

  function effectiveOf(agentId: string, tx: SolanaTransactionJson): EffectiveIntent {
    const effects = tx.instructions.map((instruction) => ({
      kind: 'transfer' as const,
      asset: native,
      amount: BigInt(instruction.lamports),
      to: instruction.to,
    }))
    const first = tx.instructions[0]!
    return {
      agentId,
      network: network.name,
      type: 'transfer',
      target: first.to,
      value: BigInt(first.lamports),
      selectors: [],
      effects,
      unvalued: [],
      targetIsToken: false,
      submitted: { asset: native, amount: BigInt(first.lamports), recipient: first.to },
    }
  }
}

function simulationError(network: SolanaNetwork, err: unknown, logs: readonly string[]): BursarError {
  const text = JSON.stringify(err, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))
  const details = { network: network.name, error: text, logs: logs.slice(-5) }
  if (/InsufficientFundsForRent/i.test(text)) {
    // Solana refuses to leave an account holding less than its rent-exempt minimum (890,880 lamports for a plain
    // account): a small first payment to a new address fails this way.
    return new BursarError(
      'SIMULATION_REVERTED',
      `Network ${network.name}: an account would be left below its rent-exempt minimum (a new recipient needs at least 890880 lamports)`,
      { details },
    )
  }
  // The fee payer with no account at all has no lamports either.
  if (/InsufficientFunds|AccountNotFound|insufficient lamports/i.test(text + logs.join('\n'))) {
    return new BursarError(
      'INSUFFICIENT_FUNDS',
      `Network ${network.name}: the wallet cannot pay this transaction and its fee`,
      {
        details,
      },
    )
  }
  return new BursarError(
    'SIMULATION_REVERTED',
    `Network ${network.name}: the transaction fails in simulation: ${text}`,
    {
      details,
    },
  )
}
