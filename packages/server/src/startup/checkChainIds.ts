/**
 * Every network's RPCs must serve the chain its configuration names before anything is signed on it. A mismatch at
 * start stops Bursar (all of them reported at once); a network whose RPC does not answer at start is checked again
 * before the first signature on it.
 */
import type { ChainAdapter } from '@bursar/core/chains'
import { BursarError, isBursarError } from '@bursar/core/errors'

/** Throws CHAIN_ID_MISMATCH listing every mismatch; returns the names of the networks that were verified. */
export async function checkChainIds(
  adapters: readonly ChainAdapter[],
): Promise<{ verified: Set<string>; unreachable: string[] }> {
  const mismatches: string[] = []
  const unreachable: string[] = []
  const verified = new Set<string>()
  await Promise.all(
    adapters.map(async (adapter) => {
      try {
        await adapter.verifyChain()
        verified.add(adapter.network.name)
      } catch (error) {
        if (isBursarError(error) && error.code === 'CHAIN_ID_MISMATCH') mismatches.push(error.message)
        else unreachable.push(adapter.network.name)
      }
    }),
  )
  if (mismatches.length > 0) {
    throw new BursarError('CHAIN_ID_MISMATCH', `refusing to start:\n  - ${mismatches.join('\n  - ')}`, {
      details: { problems: mismatches },
    })
  }
  return { verified, unreachable }
}
