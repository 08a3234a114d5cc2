/** EIP-1559 fees from recent blocks, so a transaction is priced like its neighbours. */
import { BursarError } from '@bursar/core/errors'
import { hexToBigInt } from 'viem'
import type { EvmClient } from '../createEvmClient.ts'
import { isTransportError } from '../errors/rpcUnavailableError.ts'

export type EstimateFeesReturnType = {
  maxFeePerGas: bigint
  maxPriorityFeePerGas: bigint
  /** The next block's base fee: a max fee per gas below it cannot be included now. */
  baseFeePerGas: bigint
}

/**
 * Priority fee: median of the 50th-percentile tips of the last 10 blocks. Max fee: twice the next base
 * fee plus that tip, which stays includable through about six full blocks of base-fee increases.
 */
export async function estimateFees(client: EvmClient): Promise<EstimateFeesReturnType> {
  const history = await client.publicClient.getFeeHistory({ blockCount: 10, rewardPercentiles: [50] })
  // feeHistory returns one base fee more than blocks asked: the last one is the next block's.
  const nextBaseFee = history.baseFeePerGas.at(-1)
  if (nextBaseFee === undefined) {
    throw new BursarError('INTERNAL', `Network ${client.network.name} reports no base fee: is it EIP-1559?`, {
      details: { network: client.network.name, retryable: false },
    })
  }
  const tips = (history.reward ?? []).flatMap((reward) => reward.slice(0, 1))
  let maxPriorityFeePerGas = median(tips)
  // Empty blocks report a zero tip; a zero tip never gets included where tips matter, so ask the node.
  if (maxPriorityFeePerGas === 0n) maxPriorityFeePerGas = await suggestedTip(client)
  return {
    maxFeePerGas: 2n * nextBaseFee + maxPriorityFeePerGas,
    maxPriorityFeePerGas,
    baseFeePerGas: nextBaseFee,
  }
}

function median(values: bigint[]): bigint {
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  return sorted[Math.floor(sorted.length / 2)] ?? 0n
}

async function suggestedTip(client: EvmClient): Promise<bigint> {
  try {
    return hexToBigInt(await client.publicClient.request({ method: 'eth_maxPriorityFeePerGas' }))
  } catch (error) {
    // Not every node serves this method; a zero tip is still a valid, if slow, answer.
    if (isTransportError(error)) throw error
    return 0n
  }
}
