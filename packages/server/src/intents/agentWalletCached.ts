/** An agent's wallet never changes once created, so the submission hot path reads it from memory. */
import { BursarError } from '@bursar/core/errors'
import { getAgentWallet, type WalletRow } from '@bursar/store'
import type { ServerContext } from '../context.ts'

const wallets = new WeakMap<ServerContext, Map<string, WalletRow>>()

export async function agentWalletCached(ctx: ServerContext, agentId: string): Promise<WalletRow> {
  let cache = wallets.get(ctx)
  if (!cache) {
    cache = new Map()
    wallets.set(ctx, cache)
  }
  let wallet = cache.get(agentId)
  if (!wallet) {
    wallet = await getAgentWallet(ctx.db, agentId)
    if (!wallet) throw new BursarError('WALLET_NOT_FOUND', 'the agent has no wallet')
    if (cache.size > 100_000) cache.clear()
    cache.set(agentId, wallet)
  }
  return wallet
}
