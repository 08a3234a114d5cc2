/** /v1/wallets: an agent reads its own wallets and balances; an owner reads its agents'. */
import { BursarError } from '@bursar/core/errors'
import { getAgent, getWallet, listAgentWallets, type WalletRow } from '@bursar/store'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { authenticate, type Principal } from '../auth/authenticate.ts'
import type { ServerContext } from '../context.ts'
import { parseWith } from '../parseBody.ts'
import { walletResponse } from './agents.ts'

const walletParams = z.object({ id: z.string().min(1).max(64) })
const balanceQuery = z.strictObject({ network: z.string().min(1).max(64).optional() })

async function visibleWallet(ctx: ServerContext, principal: Principal, id: string): Promise<WalletRow> {
  const wallet = await getWallet(ctx.db, id)
  let visible = false
  if (wallet && principal.type === 'agent') visible = wallet.agent_id === principal.agentId
  if (wallet && principal.type === 'owner')
    visible = (await getAgent(ctx.db, wallet.agent_id))?.owner_id === principal.ownerId
  if (!wallet || !visible)
    throw new BursarError('WALLET_NOT_FOUND', 'wallet not found', { details: { wallet_id: id } })
  return wallet
}

export function registerWalletRoutes(app: FastifyInstance, ctx: ServerContext) {
  app.get('/v1/wallets', async (request) => {
    const principal = await authenticate(ctx, request)
    if (principal.type !== 'agent')
      throw new BursarError('FORBIDDEN', 'owners list wallets through /v1/agents')
    return { data: (await listAgentWallets(ctx.db, principal.agentId)).map(walletResponse) }
  })

  app.get('/v1/wallets/:id', async (request) => {
    const principal = await authenticate(ctx, request)
    const { id } = parseWith(walletParams, request.params, 'path')
    return walletResponse(await visibleWallet(ctx, principal, id))
  })

  app.get('/v1/wallets/:id/balances', async (request) => {
    const principal = await authenticate(ctx, request)
    const { id } = parseWith(walletParams, request.params, 'path')
    const query = parseWith(balanceQuery, request.query, 'query')
    const wallet = await visibleWallet(ctx, principal, id)
    // A wallet belongs to one chain family: its balances are on that family's networks.
    const networks = [...ctx.networks.values()].filter(
      ({ adapter }) =>
        adapter.network.family === wallet.family &&
        (query.network === undefined || adapter.network.name === query.network),
    )
    if (networks.length === 0) {
      throw new BursarError('UNKNOWN_NETWORK', `network "${query.network}" is not configured`, {
        details: { network: query.network },
      })
    }
    const balances = []
    for (const { adapter } of networks) {
      const network = adapter.network.name
      for (const balance of await adapter.getBalances(wallet.address)) {
        balances.push({
          network,
          asset: `${network}:${balance.asset}`,
          symbol: balance.symbol,
          decimals: balance.decimals,
          amount: balance.amount.toString(),
        })
      }
    }
    return { wallet_id: wallet.id, address: wallet.address, balances }
  })
}
