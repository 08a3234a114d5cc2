/** The executor's fee rule: never sign a transaction that could cost more than the fee reserved for it. */
import { maxBigInt, minBigInt } from '@bursar/core/amounts'

/**
 * Gas and fees whose worst case (gas limit × max fee per gas) stays within the fee reserved at decision time: the
 * reservation was checked against the policy's fee cap, so the cap holds whatever the fee market did since.
 */
export function withinFeeCeiling(
  item: { gas: bigint; decidedGas: bigint; maxFee: bigint },
  fees: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint },
): { gas: bigint; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint } {
  // The decided gas limit, unless the chain now needs more: then the fee per gas shrinks to stay under the ceiling.
  const gas = maxBigInt(item.gas, item.decidedGas)
  const maxFeePerGas = minBigInt(fees.maxFeePerGas, item.maxFee / gas)
  return { gas, maxFeePerGas, maxPriorityFeePerGas: minBigInt(fees.maxPriorityFeePerGas, maxFeePerGas) }
}
