/** Reads what an ERC-20 call does, so policy can judge token movements hidden in calldata. */
import { type Address, decodeFunctionData, erc20Abi, type Hex } from 'viem'

export type Erc20Call =
  | { fn: 'transfer'; to: Address; amount: bigint }
  | { fn: 'approve'; spender: Address; amount: bigint }
  | { fn: 'transferFrom'; from: Address; to: Address; amount: bigint }

/**
 * `undefined` for anything else: other functions, other ABIs, malformed calldata.
 *
 * @example
 * decodeErc20Call(encodeErc20Transfer(to, 5n)) // { fn: 'transfer', to, amount: 5n }
 */
export function decodeErc20Call(data: Hex): Erc20Call | undefined {
  let decoded: ReturnType<typeof decodeFunctionData<typeof erc20Abi>>
  try {
    decoded = decodeFunctionData({ abi: erc20Abi, data })
  } catch {
    return undefined
  }
  switch (decoded.functionName) {
    case 'transfer':
      return { fn: 'transfer', to: decoded.args[0], amount: decoded.args[1] }
    case 'approve':
      return { fn: 'approve', spender: decoded.args[0], amount: decoded.args[1] }
    case 'transferFrom':
      return { fn: 'transferFrom', from: decoded.args[0], to: decoded.args[1], amount: decoded.args[2] }
    default:
      return undefined
  }
}
