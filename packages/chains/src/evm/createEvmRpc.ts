/** The EVM RPC operations of one network, as a plain object; every failure a BursarError without the RPC URL. */
import type { EvmNetwork } from '@bursar/core/networks'
import type { Address, Hash, Hex, TransactionSerializableEIP1559 } from 'viem'
import { broadcast } from './actions/broadcast.ts'
import { detectMulticall3 } from './actions/detectMulticall3.ts'
import { type EstimateFeesReturnType, estimateFees } from './actions/estimateFees.ts'
import { type Balance, getBalances } from './actions/getBalances.ts'
import { getReceipt, type Receipt } from './actions/getReceipt.ts'
import { type GetTransactionReturnType, getTransaction } from './actions/getTransaction.ts'
import { type SimulateParameters, type SimulateReturnType, simulate } from './actions/simulate.ts'
import { type BuildTransactionParameters, buildTransaction } from './buildTransaction.ts'
import { createEvmClient, type EvmClientOptions } from './createEvmClient.ts'
import { toBursarError } from './errors/toBursarError.ts'
import type { EndpointStatus } from './rpc/createEndpointPool.ts'

export type EvmRpc = {
  network: EvmNetwork
  getChainId(): Promise<number>
  getBlockNumber(): Promise<bigint>
  getTransactionCount(address: Address, block: 'pending' | 'latest' | bigint): Promise<number>
  getBalances(address: Address): Promise<Balance[]>
  /** Cached for a second: signing a batch should not cost one eth_feeHistory per transaction. */
  estimateFees(): Promise<EstimateFeesReturnType>
  simulate(call: SimulateParameters): Promise<SimulateReturnType>
  buildTransaction(parameters: BuildTransactionParameters): TransactionSerializableEIP1559
  broadcast(signedTx: Hex): Promise<Hash>
  getReceipt(hash: Hash): Promise<Receipt | null>
  /** The hash of the block at `blockNumber`, or null when the node has none there. */
  getBlockHash(blockNumber: bigint): Promise<Hash | null>
  getTransaction(hash: Hash): Promise<GetTransactionReturnType>
  /** The state of each RPC endpoint, in configured order; never a URL. */
  endpoints(): EndpointStatus[]
  /** Reads every endpoint's chain id now (the periodic check, run on demand) and returns their state. */
  checkEndpoints(): Promise<EndpointStatus[]>
  /** Stops the periodic endpoint check. */
  close(): void
}

export type CreateEvmRpcOptions = EvmClientOptions

const feeCacheMs = 1_000

/**
 * @example
 * const rpc = createEvmRpc(network)
 * const { gas } = await adapter.simulate({ from, to, value: 10n ** 15n })
 * const tx = adapter.buildTransaction({ to, value: 10n ** 15n, gas, nonce, ...(await adapter.estimateFees()) })
 * const hash = await adapter.broadcast(await signer.signTransaction(tx))
 */
export function createEvmRpc(network: EvmNetwork, options: CreateEvmRpcOptions = {}): EvmRpc {
  const client = createEvmClient(network, options)
  const { publicClient, pool } = client

  // Wraps every RPC operation: whatever escapes is a BursarError without the RPC URL in it.
  const guard = async <T>(operation: () => Promise<T>): Promise<T> => {
    try {
      return await operation()
    } catch (error) {
      throw toBursarError(error, network)
    }
  }

  const fees = cachedFor(feeCacheMs, () => estimateFees(client))
  const multicall = cachedFor(Number.POSITIVE_INFINITY, () => detectMulticall3(client))

  return {
    network,
    getChainId: () => guard(() => publicClient.getChainId()),
    getBlockNumber: () => guard(() => publicClient.getBlockNumber()),
    getTransactionCount: (address, block) =>
      guard(() =>
        publicClient.getTransactionCount(
          typeof block === 'bigint' ? { address, blockNumber: block } : { address, blockTag: block },
        ),
      ),
    getBalances: (address) =>
      guard(async () => {
        const multicallAddress = network.tokens.length > 0 ? await multicall() : undefined
        return getBalances(client, { address, multicallAddress })
      }),
    estimateFees: () => guard(fees),
    simulate: (call) => guard(async () => simulate(client, call, await fees())),
    buildTransaction: (parameters) => buildTransaction(network, parameters),
    broadcast: (signedTx) => guard(() => broadcast(client, signedTx)),
    getReceipt: (hash) => guard(() => getReceipt(client, hash)),
    getBlockHash: (blockNumber) =>
      guard(async () => {
        const block = await publicClient.request({
          method: 'eth_getBlockByNumber',
          params: [`0x${blockNumber.toString(16)}`, false],
        })
        return block?.hash ?? null
      }),
    getTransaction: (hash) => guard(() => getTransaction(client, hash)),
    endpoints: () => pool.endpoints(),
    checkEndpoints: () => pool.checkEndpoints(),
    close: () => pool.close(),
  }
}

// Shares one in-flight request between concurrent callers and forgets failures, so an outage is retried.
function cachedFor<T>(ms: number, load: () => Promise<T>): () => Promise<T> {
  let cached: { value: Promise<T>; at: number } | undefined
  return () => {
    if (cached === undefined || Date.now() - cached.at >= ms) {
      const value = load()
      const entry = { value, at: Date.now() }
      cached = entry
      value.catch(() => {
        if (cached === entry) cached = undefined
      })
    }
    return cached.value
  }
}
