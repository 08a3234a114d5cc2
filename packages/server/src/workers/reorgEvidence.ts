/**
 * Whether the chain shows that a transaction seen mined in block (number, hash) left it: it is mined in another
 * block, or the node's block at that height has another hash. A missing receipt alone is not evidence: a node behind
 * the others (a failover, a load balancer, a receipt index catching up) has no receipt and, often, no such block.
 */
import type { ChainAdapter, Receipt } from '@bursar/core/chains'

export async function reorgEvidence(
  adapter: ChainAdapter,
  seen: { blockNumber: number | null; blockHash: string | null },
  receipt: Receipt | null,
): Promise<boolean> {
  if (receipt !== null) return seen.blockHash !== null && receipt.blockHash !== seen.blockHash
  // Recorded before block hashes were, or a family that cannot say: the missing receipt is all there is.
  if (seen.blockNumber === null || seen.blockHash === null || adapter.blockHashAt === undefined) return true
  const hash = await adapter.blockHashAt(BigInt(seen.blockNumber))
  return hash !== null && hash.toLowerCase() !== seen.blockHash.toLowerCase()
}
