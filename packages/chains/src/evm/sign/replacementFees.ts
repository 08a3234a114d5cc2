/** The fees of a transaction that takes the place of another at the same nonce, within the fee reserved for both. */
import { maxBigInt, minBigInt } from '@bursar/core/amounts'

type Fees = { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }

/** At least 10 % more (rounded up, and at least 1 wei): geth, reth, erigon and anvil refuse anything less. */
export const bumped = (value: bigint): bigint => maxBigInt(value + (value + 9n) / 10n, value + 1n)

/**
 * Both fees bumped over `previous` and at least today's (`market`), never above `maxFee / gas` per gas. A replacement
 * that cannot bump both within that ceiling is not made ({ wait }): it would be refused, or cost more than the policy
 * allowed. A cancellation is made anyway, at the ceiling: if no node holds the transaction it replaces (it was
 * refused, or dropped), nothing needs outbidding; if one does, its refusal says the original is still on its way.
 *
 * @example replacementFees({ previous, market, gas: 21000n, maxFee, cancel: false })
 */
export function replacementFees(parameters: {
  previous: Fees
  market: Fees
  gas: bigint
  maxFee: bigint
  cancel: boolean
}): Fees | { wait: string } {
  const { previous, market, gas, maxFee, cancel } = parameters
  const ceiling = maxFee / gas
  const wantedMax = maxBigInt(bumped(previous.maxFeePerGas), market.maxFeePerGas)
  const wantedTip = maxBigInt(bumped(previous.maxPriorityFeePerGas), market.maxPriorityFeePerGas)
  if (
    !cancel &&
    (bumped(previous.maxFeePerGas) > ceiling || bumped(previous.maxPriorityFeePerGas) > ceiling)
  ) {
    return {
      wait: `a replacement needs more than the reserved fee allows per gas (${ceiling}); the transaction stays as it is`,
    }
  }
  const maxFeePerGas = minBigInt(wantedMax, ceiling)
  return { maxFeePerGas, maxPriorityFeePerGas: minBigInt(wantedTip, maxFeePerGas) }
}
