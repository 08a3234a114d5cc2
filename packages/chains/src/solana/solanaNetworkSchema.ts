/** How a Solana network is configured: its RPC URLs, the genesis hash that identifies it, fees and confirmation. */
import type { NetworkInfo } from '@bursar/core/chains'
import { z } from 'zod'

const base58 = /^[1-9A-HJ-NP-Za-km-z]{32,44}$/

export const solanaNetworkSchema = z.strictObject({
  family: z.literal('solana'),
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be lowercase letters, digits and -'),
  rpcUrls: z
    .array(z.url())
    .min(1)
    .max(8)
    .describe('Solana JSON-RPC URLs, tried in order (only the first is used today)'),
  genesisHash: z
    .string()
    .regex(base58, 'must be a base58 genesis hash')
    .describe(
      'The cluster genesis hash (getGenesisHash): checked against the RPC at start, like an EVM chain id',
    ),
  nativeSymbol: z.string().min(1).max(16).default('SOL'),
  nativeDecimals: z.number().int().min(0).max(18).default(9),
  confirmations: z.number().int().min(1).max(1000).default(1),
  defaultMaxFee: z
    .string()
    .regex(/^[0-9]{1,20}$/)
    .optional()
    .describe('Fee cap per transaction in lamports for policies without one (default 0.01 SOL)'),
  priorityFeeMicroLamports: z
    .number()
    .int()
    .min(0)
    .max(100_000_000)
    .default(0)
    .describe('Compute-unit price (micro-lamports per compute unit) paid as a priority fee'),
})

export type SolanaNetwork = z.infer<typeof solanaNetworkSchema> & NetworkInfo & { family: 'solana' }
