/** Whether the node knows a transaction, and in which block it landed. */
import type { Hash } from 'viem'
import { hexToBigInt } from 'viem'
import type { EvmClient } from '../createEvmClient.ts'

/** `null` when the node does not know the hash; `blockNumber: null` while it waits in the mempool. */
export type GetTransactionReturnType = { blockNumber: bigint | null } | null

export async function getTransaction(client: EvmClient, hash: Hash): Promise<GetTransactionReturnType> {
  const transaction = await client.publicClient.request({
    method: 'eth_getTransactionByHash',
    params: [hash],
  })
  if (transaction === null) return null
  return { blockNumber: transaction.blockNumber === null ? null : hexToBigInt(transaction.blockNumber) }
}
