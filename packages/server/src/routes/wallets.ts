/** /v1/wallets: an agent reads its own wallets and balances; an owner reads its agents'. */
import {
  balanceQuerySchema,
  balancesResponseSchema,
  idParams,
  walletListResponseSchema,
  walletSchema,
} from '@bursar/core/api'
import { BursarError } from '@bursar/core/errors'
import { getAgent, getWallet, listAgentWallets, type WalletRow } from '@bursar/store'
import type { Principal } from '../auth/authenticate.ts'
import type { ServerContext } from '../context.ts'
import { defineRoute } from '../http/Route.ts'
import { walletResponse } from './responses.ts'

async function visibleWallet(ctx: ServerContext, principal: Principal, id: string): Promise<WalletRow> {
  const wallet = await getWallet(ctx.db, id)
  let visible = false
  if (wallet && principal.type === 'agent') visible = wallet.agent_id === principal.agentId
  if (wallet && principal.type === 'member')
    visible = (await getAgent(ctx.db, wallet.agent_id))?.org_id === principal.orgId
  if (!wallet || !visible)
    throw new BursarError('WALLET_NOT_FOUND', 'wallet not found', { details: { wallet_id: id } })
  return wallet
}

export const walletRoutes = [
  defineRoute({
    method: 'GET',
    path: '/v1/wallets',
    summary: "The calling agent's wallets (owners: GET /v1/agents/{id})",
    access: 'agent',
    responses: { 200: walletListResponseSchema },
    handler: async ({ ctx, principal }) => ({
      data: (await listAgentWallets(ctx.db, principal.agentId)).map(walletResponse),
    }),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/wallets/:id',
    summary: 'Get a wallet',
    access: 'any',
    params: idParams,
    responses: { 200: walletSchema },
    handler: async ({ ctx, principal, params }) =>
      walletResponse(await visibleWallet(ctx, principal, params.id)),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/wallets/:id/balances',
    summary: "Native and token balances on every network of the wallet's chain family (?network= for one)",
    access: 'any',
    params: idParams,
    query: balanceQuerySchema,
    responses: { 200: balancesResponseSchema },
    async handler({ ctx, principal, params, query }) {
      const wallet = await visibleWallet(ctx, principal, params.id)
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
    },
  }),
]
