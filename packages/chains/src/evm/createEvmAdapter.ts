/**
 * The EVM chain adapter: Bursar's ChainAdapter over one EVM network, built on its RPC operations (createEvmRpc).
 * Transactions are stored as JSON `{ to, value, data?, gas? }` (amounts as decimal strings); what gets signed is an
 * EIP-1559 transaction priced within the fee ceiling reserved at decision time.
 */
import type { ChainAdapter, JsonValue, SigningInput } from '@bursar/core/chains'
import { BursarError } from '@bursar/core/errors'
import { chainKeyOf, defaultFeeCapOf, type EvmNetwork } from '@bursar/core/networks'
import {
  type Address,
  getAddress,
  type Hex,
  keccak256,
  parseTransaction,
  type TransactionSerializableEIP1559,
} from 'viem'
import { type CreateEvmRpcOptions, createEvmRpc } from './createEvmRpc.ts'
import { prepareEvmIntent, withEvmFee } from './prepare/prepareEvmIntent.ts'
import { evmAddressFromPublicKey } from './sign/evmAddressFromPublicKey.ts'
import { replacementFees } from './sign/replacementFees.ts'
import { attachEvmSignature, evmSigningInput } from './sign/signEvmTransaction.ts'
import { withinFeeCeiling } from './sign/withinFeeCeiling.ts'

/** The JSON form of an EVM transaction as Bursar stores it. */
export type EvmTransactionJson = { to: string; value: string; data?: string; gas?: string }

/**
 * What the executor sets between a decision and the signature, so an approval must not bind it:
 * - `nonce`, `maxFeePerGas`, `maxPriorityFeePerGas`: assigned in readyToSign/build, never stored today; named so
 *   that a stored form carrying them later still leaves them out.
 * - `gas`: the limit the simulation sized at intake, which readyToSign raises to what the chain needs at signing
 *   (withinFeeCeiling). It only sizes the fee: gas × max fee per gas stays within the fee reserved at decision time,
 *   which the policy's fee cap bounds. Binding it would void an approval whenever the chain's state moved the gas
 *   estimate while people decided, without the signed call (`to`, `value`, `data`) changing at all.
 * chainId and the transaction type come from the network, which approvalHash binds by name.
 */
const executorAssigned: ReadonlySet<string> = new Set([
  'nonce',
  'gas',
  'maxFeePerGas',
  'maxPriorityFeePerGas',
])

/** Everything else stays bound, a field added to the stored form later included, until someone decides otherwise. */
function evmApprovalBinding(tx: { [key: string]: JsonValue }): JsonValue {
  return Object.fromEntries(Object.entries(tx).filter(([key]) => !executorAssigned.has(key)))
}

export type EvmChainAdapter = ChainAdapter & { network: EvmNetwork }

/**
 * @example
 * const adapter = createEvmAdapter(network)
 * const { tx, effective } = adapter.prepare('agt_1', { type: 'transfer', network: 'anvil', to, amount: '5' })
 * const { tx: sized, maxFee } = await adapter.simulate(from, tx)
 */
export function createEvmAdapter(network: EvmNetwork, options: CreateEvmRpcOptions = {}): EvmChainAdapter {
  const rpc = createEvmRpc(network, options)
  const call = (tx: JsonValue) => {
    const json = tx as EvmTransactionJson
    return {
      to: getAddress(json.to),
      value: BigInt(json.value),
      ...(json.data === undefined ? {} : { data: json.data as Hex }),
    }
  }
  const noop = (address: string): EvmTransactionJson => ({
    to: getAddress(address),
    value: '0',
    gas: '21000',
  })
  return {
    network,
    chainKey: chainKeyOf(network),
    defaultFeeCap: defaultFeeCapOf(network),
    async verifyChain() {
      // Every RPC of the network: a node of another chain would receive transactions signed for this one. The pool
      // keeps a wrong one out of service; one that does not answer is checked before its first use.
      const endpoints = await rpc.checkEndpoints()
      const wrong = endpoints.find((endpoint) => endpoint.status === 'wrong_chain')
      if (wrong !== undefined) {
        throw new BursarError(
          'CHAIN_ID_MISMATCH',
          `network "${network.name}" is configured with chain id ${network.chainId} but RPC #${wrong.index + 1} reports ${wrong.reportedChainId}`,
          {
            details: { network: network.name, configured: network.chainId, reported: wrong.reportedChainId },
          },
        )
      }
      // None answered: the request fails as every request then does (RPC_UNAVAILABLE, retryable).
      if (!endpoints.some((endpoint) => endpoint.status === 'healthy')) await rpc.getChainId()
    },
    endpoints: () => rpc.endpoints(),
    close: () => rpc.close(),
    curve: 'secp256k1',
    derivationPath: (index) => {
      if (!Number.isSafeInteger(index) || index < 0 || index >= 0x80000000) {
        throw new BursarError(
          'VALIDATION_FAILED',
          `EVM address index must be an integer in [0, 2^31), got ${index}`,
        )
      }
      return `m/44'/60'/0'/0/${index}`
    },
    addressOf: (publicKey) => evmAddressFromPublicKey(publicKey),
    formatAddress: (address) => getAddress(address.toLowerCase()),
    prepare(agentId, request) {
      const { tx, effective } = prepareEvmIntent(network, agentId, request)
      const json: EvmTransactionJson = { to: tx.to, value: tx.value.toString() }
      if (tx.data !== undefined) json.data = tx.data
      return { tx: json, effective }
    },
    withFee: (effective, maxFee) => withEvmFee(network, effective, maxFee),
    approvalBinding: (tx) => evmApprovalBinding(tx as { [key: string]: JsonValue }),
    async simulate(from, tx) {
      const { gas } = await rpc.simulate({ from: from as Address, ...call(tx) })
      const { maxFeePerGas } = await rpc.estimateFees()
      return { tx: { ...(tx as EvmTransactionJson), gas: gas.toString() }, maxFee: gas * maxFeePerGas }
    },
    sequenced: true,
    nextSequence: (address) => rpc.getTransactionCount(address as Address, 'pending'),
    async readyToSign({ from, tx, maxFee }) {
      const json = tx as EvmTransactionJson
      // The chain may have moved since the decision: simulate again, and price within what was reserved.
      const [{ gas }, fees] = await Promise.all([
        rpc.simulate({ from: from as Address, ...call(tx) }),
        rpc.estimateFees(),
      ])
      const priced = withinFeeCeiling({ gas, decidedGas: BigInt(json.gas ?? '0'), maxFee }, fees)
      if (priced.maxFeePerGas < fees.baseFeePerGas) {
        return { wait: `the base fee (${fees.baseFeePerGas}) is above what the reserved fee allows per gas` }
      }
      return {
        build(sequence): SigningInput {
          const transaction: TransactionSerializableEIP1559 = rpc.buildTransaction({
            ...call(tx),
            nonce: sequence,
            ...priced,
          })
          const { digest, unsigned } = evmSigningInput(transaction)
          return { curve: 'secp256k1', payload: digest, unsigned }
        },
      }
    },
    attachSignature(input, signature) {
      const raw = attachEvmSignature(input.unsigned as TransactionSerializableEIP1559, signature)
      return { raw, txId: keccak256(raw) }
    },
    noopTransaction: (address) => noop(address),
    async replacement({ from, tx, maxFee, sequence, previousRaw, cancel }) {
      const previous = parseTransaction(previousRaw as Hex)
      if (previous.maxFeePerGas === undefined || previous.maxPriorityFeePerGas === undefined) {
        throw new BursarError('INTERNAL', 'only EIP-1559 transactions are replaced')
      }
      // A version takes the place of the one before it at the same nonce, never another nonce's.
      if (previous.nonce !== sequence) {
        throw new BursarError(
          'INTERNAL',
          `the transaction to replace is at nonce ${previous.nonce}, not ${sequence}`,
        )
      }
      const json = (cancel ? noop(from) : tx) as EvmTransactionJson
      // The version it replaces sized the gas within the reserved fee; a cancellation needs the plain transfer's.
      const gas = cancel ? BigInt(json.gas!) : (previous.gas ?? BigInt(json.gas ?? '0'))
      const fees = replacementFees({
        previous: {
          maxFeePerGas: previous.maxFeePerGas,
          maxPriorityFeePerGas: previous.maxPriorityFeePerGas,
        },
        market: await rpc.estimateFees(),
        gas,
        maxFee,
        cancel,
      })
      if ('wait' in fees) return fees
      const transaction = rpc.buildTransaction({ ...call(json), gas, nonce: sequence, ...fees })
      const { digest, unsigned } = evmSigningInput(transaction)
      return { input: { curve: 'secp256k1', payload: digest, unsigned } }
    },
    minedSequence: (address, atBlock) => rpc.getTransactionCount(address as Address, atBlock ?? 'latest'),
    async broadcast(raw) {
      await rpc.broadcast(raw as Hex)
    },
    async getReceipt(txId) {
      const receipt = await rpc.getReceipt(txId as Hex)
      if (receipt === null) return null
      return {
        status: receipt.status,
        blockNumber: receipt.blockNumber,
        blockHash: receipt.blockHash,
        feePaid: receipt.gasUsed * receipt.effectiveGasPrice,
      }
    },
    blockHashAt: (blockNumber) => rpc.getBlockHash(blockNumber),
    isKnown: async (txId) => (await rpc.getTransaction(txId as Hex)) !== null,
    getBlockNumber: () => rpc.getBlockNumber(),
    getBalances: (address) => rpc.getBalances(address as Address),
  }
}
