/** The demo agent's starting policy: small limits on the local chain, so the walkthrough shows a denial too. */
export const devPolicy = {
  description: 'Demo agent: at most 1 ETH per transfer and 10 ETH per 24 h on the local anvil chain',
  chains: { allow: ['anvil'] },
  limits: {
    perTransaction: [{ id: 'per-tx-eth', asset: 'anvil:native', max: '1000000000000000000' }],
    windows: [{ id: 'daily-eth', window: '24h', asset: 'anvil:native', max: '10000000000000000000' }],
  },
  rateLimits: [{ id: 'burst', window: '1m', max: 600 }],
}
