/** The native balance and every configured token balance of one address. */
import { type Address, erc20Abi } from 'viem'
import type { EvmClient } from '../createEvmClient.ts'

export type Balance = {
  /** 'native' or the token's lowercase address. */
  asset: string
  symbol: string
  decimals: number
  amount: bigint
}

export type GetBalancesParameters = {
  address: Address
  /** Batch the token reads through Multicall3 at this address; without it, one eth_call per token. */
  multicallAddress?: Address | undefined
}

export async function getBalances(client: EvmClient, parameters: GetBalancesParameters): Promise<Balance[]> {
  const { network, publicClient } = client
  const { address, multicallAddress } = parameters
  const contracts = network.tokens.map(
    (token) =>
      ({ address: token.address, abi: erc20Abi, functionName: 'balanceOf', args: [address] }) as const,
  )
  const [native, tokenAmounts] = await Promise.all([
    publicClient.getBalance({ address }),
    multicallAddress !== undefined && contracts.length > 0
      ? publicClient.multicall({ contracts, multicallAddress, allowFailure: false })
      : Promise.all(contracts.map((contract) => publicClient.readContract(contract))),
  ])
  return [
    { asset: 'native', symbol: network.nativeSymbol, decimals: network.nativeDecimals, amount: native },
    ...network.tokens.map((token, index) => ({
      asset: token.address.toLowerCase(),
      symbol: token.symbol,
      decimals: token.decimals,
      amount: tokenAmounts[index] ?? 0n,
    })),
  ]
}
