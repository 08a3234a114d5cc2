/** The EVM chain family: how an EVM network is configured, and its adapter. */
import type { ChainFamily } from '@bursar/core/chains'
import { type EvmNetwork, evmNetworkSchema } from '@bursar/core/networks'
import { createEvmAdapter } from './createEvmAdapter.ts'

export const evmFamily: ChainFamily<EvmNetwork> = {
  family: 'evm',
  parseNetwork(input) {
    const parsed = evmNetworkSchema.safeParse(input)
    if (parsed.success) return { ok: true, network: parsed.data as EvmNetwork }
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => ({
        path: issue.path.join('.'),
        message: issue.message,
      })),
    }
  },
  createAdapter: (network, context) => createEvmAdapter(network, context?.log ? { log: context.log } : {}),
}
