/** Wallets: one per agent and chain family, and their balances on each network of the family. */
import { z } from 'zod'
import { decimalString, listOf, timestamp } from './common.ts'

export const walletSchema = z.object({
  id: z.string(),
  agent_id: z.string(),
  family: z.string(),
  address: z.string(),
  created_at: timestamp,
})
export type Wallet = z.infer<typeof walletSchema>
export const walletListResponseSchema = listOf(walletSchema)

export const balanceQuerySchema = z.strictObject({ network: z.string().min(1).max(64).optional() })

export const balanceSchema = z.object({
  network: z.string(),
  asset: z.string(),
  symbol: z.string(),
  decimals: z.number().int(),
  amount: decimalString,
})
export const balancesResponseSchema = z.object({
  wallet_id: z.string(),
  address: z.string(),
  balances: z.array(balanceSchema),
})
export type Balances = z.infer<typeof balancesResponseSchema>
