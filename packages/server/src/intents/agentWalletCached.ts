/** An agent's wallet of a chain family never changes once created, so the submission hot path reads it from memory. */
import { BursarError } from '@bursar/core/errors'
import { getAgentWallet, type WalletRow } from '@bursar/store'
import type { ServerContext } from '../context.ts'

const wallets = new WeakMap<ServerContext, Map<string, WalletRow>>()

export async function agentWalletCached(
  ctx: ServerContext,
  agentId: string,
  family: string,
): Promise<WalletRow> {
  let cache = wallets.get(ctx)
  if (!cache) {
    cache = new Map()
    wallets.set(ctx, cache)
  }
  const key = `${agentId}|${family}`
  let wallet = cache.get(key)
  if (!wallet) {
    wallet = await getAgentWallet(ctx.db, agentId, family)
    if (!wallet) throw new BursarError('WALLET_NOT_FOUND', `the agent has no ${family} wallet`)
    if (cache.size > 100_000) cache.clear()
    cache.set(key, wallet)
  }
  return wallet
}
