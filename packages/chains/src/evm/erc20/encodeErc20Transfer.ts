/** Calldata for an ERC-20 transfer, the one token operation agents ask for. */
import { type Address, encodeFunctionData, erc20Abi, type Hex } from 'viem'

/**
 * @example
 * adapter.buildTransaction({ to: usdc, value: 0n, data: encodeErc20Transfer(recipient, 1_000_000n), ... })
 */
export function encodeErc20Transfer(to: Address, amount: bigint): Hex {
  return encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [to, amount] })
}
