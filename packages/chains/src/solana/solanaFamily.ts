/** The Solana chain family: how a Solana network is configured, and its adapter. */
import type { ChainFamily } from '@bursar/core/chains'
import { createSolanaAdapter } from './createSolanaAdapter.ts'
import { type SolanaNetwork, solanaNetworkSchema } from './solanaNetworkSchema.ts'

export const solanaFamily: ChainFamily<SolanaNetwork> = {
  family: 'solana',
  parseNetwork(input) {
    const parsed = solanaNetworkSchema.safeParse(input)
    if (parsed.success) return { ok: true, network: parsed.data as SolanaNetwork }
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    }
  },
  createAdapter: (network) => createSolanaAdapter(network),
}
