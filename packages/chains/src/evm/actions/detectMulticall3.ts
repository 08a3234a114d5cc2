/** Finds Multicall3 at its canonical address, so balance reads can be batched where it exists. */
import type { Address } from 'viem'
import type { EvmClient } from '../createEvmClient.ts'

// Deployed at the same address on almost every EVM chain, https://github.com/mds1/multicall3
const multicall3Address: Address = '0xcA11bde05977b3631167028862bE2a173976CA11'

export async function detectMulticall3(client: EvmClient): Promise<Address | undefined> {
  const code = await client.publicClient.getCode({ address: multicall3Address })
  return code === undefined || code === '0x' ? undefined : multicall3Address
}
