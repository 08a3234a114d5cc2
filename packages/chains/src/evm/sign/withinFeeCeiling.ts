/** The executor's fee rule: never sign a transaction that could cost more than the fee reserved for it. */
import { maxBigInt, minBigInt } from '@bursar/core/amounts'

/**
 * The share of the reserved fee per gas the first version of a transaction may use, as a fraction 100/121: two
 * replacements, each 10 % above the last (the nodes' replacement rule), still fit in what was reserved. The price
 * paid is the base fee plus the tip, so the lower ceiling costs nothing unless the base fee climbs past it; and it
 * never goes below that price (on a chain without a base fee it would cut the tip, and the next estimate with it).
 */
const firstVersionShare = { numerator: 100n, denominator: 121n }

/**
 * Gas and fees whose worst case (gas limit × max fee per gas) stays within the fee reserved at decision time: the
 * reservation was checked against the policy's fee cap, so the cap holds whatever the fee market did since.
 */
export function withinFeeCeiling(
  item: { gas: bigint; decidedGas: bigint; maxFee: bigint },
  fees: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint; baseFeePerGas?: bigint },
): { gas: bigint; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint } {
  // The decided gas limit, unless the chain now needs more: then the fee per gas shrinks to stay under the ceiling.
  const gas = maxBigInt(item.gas, item.decidedGas)
  const ceiling = item.maxFee / gas
  // Less 3 wei: each bump rounds up by up to 1 wei, and two must still land at or under the ceiling.
  const firstCeiling =
    ((ceiling > 3n ? ceiling - 3n : 0n) * firstVersionShare.numerator) / firstVersionShare.denominator
  const paidNow = (fees.baseFeePerGas ?? 0n) + fees.maxPriorityFeePerGas
  const maxFeePerGas = minBigInt(ceiling, maxBigInt(paidNow, minBigInt(fees.maxFeePerGas, firstCeiling)))
  return { gas, maxFeePerGas, maxPriorityFeePerGas: minBigInt(fees.maxPriorityFeePerGas, maxFeePerGas) }
}
