/** The outcome of a mined transaction, or null while it is not mined. */
import { type Hash, hexToBigInt } from 'viem'
import type { EvmClient } from '../createEvmClient.ts'

export type Receipt = {
  status: 'success' | 'reverted'
  blockNumber: bigint
  blockHash: string
  gasUsed: bigint
  effectiveGasPrice: bigint
}

export async function getReceipt(client: EvmClient, hash: Hash): Promise<Receipt | null> {
  const receipt = await client.publicClient.request({ method: 'eth_getTransactionReceipt', params: [hash] })
  if (receipt === null) return null
  return {
    status: receipt.status === '0x1' ? 'success' : 'reverted',
    blockNumber: hexToBigInt(receipt.blockNumber),
    blockHash: receipt.blockHash,
    gasUsed: hexToBigInt(receipt.gasUsed),
    effectiveGasPrice: hexToBigInt(receipt.effectiveGasPrice),
  }
}
