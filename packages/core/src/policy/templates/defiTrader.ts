/** Template: an agent trading on one DEX router, within USD budgets, during supervised hours. */
import type { PolicyDocument } from '../policyDocumentSchema.ts'
import { router, usdc, weth } from './anvilPlaceholders.ts'

export const defiTrader: PolicyDocument = {
  description:
    'DeFi trader: swaps between ETH, WETH and USDC on one router. Only the router and the two tokens may be called, ' +
    'only swap, wrap and approve functions; allowances must be exact (no unlimited approvals) and only to the router ' +
    '(Cedar rule). An approval counts as spending the approved tokens. Trades run on weekdays 13:30-20:00 UTC (US ' +
    'market hours, when the desk watches) within USD budgets; trades above $2,500 need one approver, above $4,000 ' +
    'two. USD limits need a price source for ETH, WETH and USDC: without a price they deny (PRICE_UNAVAILABLE). ' +
    'Addresses are anvil placeholders: replace network, router and tokens.',
  chains: { allow: ['anvil'] },
  recipients: { deny: ['0x000000000000000000000000000000000000dead'] },
  contracts: {
    allow: [router, weth, usdc],
    selectors: {
      allow: [
        'approve(address,uint256)',
        'swapExactTokensForTokens(uint256,uint256,address[],address,uint256)',
        'swapExactETHForTokens(uint256,address[],address,uint256)',
        'swapExactTokensForETH(uint256,uint256,address[],address,uint256)',
        'deposit()',
        'withdraw(uint256)',
      ],
      deny: ['transferFrom(address,address,uint256)'],
    },
    forbidUnlimitedApprovals: true,
    // Swaps and WETH wrapping move value in ways calldata alone cannot price (the router pulls approved tokens; WETH
    // mints and burns): allowed by name, and bounded by the approvals and native limits they need.
    allowUnvalued: [
      'swapExactTokensForTokens(uint256,uint256,address[],address,uint256)',
      'swapExactETHForTokens(uint256,address[],address,uint256)',
      'swapExactTokensForETH(uint256,uint256,address[],address,uint256)',
      'deposit()',
      'withdraw(uint256)',
    ],
  },
  timeWindows: [
    { id: 'us-market-hours', days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '13:30', end: '20:00' },
  ],
  limits: {
    perTransaction: [
      { id: 'eth-per-trade', description: '2 ETH', asset: 'anvil:native', max: '2000000000000000000' },
      { id: 'weth-per-trade', description: '2 WETH', asset: `anvil:${weth}`, max: '2000000000000000000' },
      { id: 'usdc-per-trade', description: '5,000 USDC', asset: `anvil:${usdc}`, max: '5000000000' },
      { id: 'usd-per-trade', maxUsd: '5000' },
    ],
    windows: [
      { id: 'usd-hourly', window: '1h', maxUsd: '10000' },
      { id: 'usd-daily', window: '24h', maxUsd: '25000' },
      { id: 'usd-weekly', window: '7d', maxUsd: '100000' },
    ],
    onlyListedAssets: true,
  },
  fees: {
    perTransaction: [
      {
        id: 'fee-cap',
        description: '0.01 ETH of gas per trade',
        asset: 'anvil:native',
        max: '10000000000000000',
      },
    ],
  },
  rateLimits: [
    { id: 'trades-per-minute', window: '1m', max: 5 },
    { id: 'trades-per-hour', window: '1h', max: 60 },
  ],
  approvals: {
    approvers: ['role:approver'],
    quorum: 1,
    rules: [
      { id: 'large-trade', aboveUsd: '2500' },
      { id: 'very-large-trade', aboveUsd: '4000', quorum: 2 },
    ],
  },
  cedar: [
    {
      id: 'approve-router-only',
      description: 'Token allowances may only be granted to the router',
      policy: `forbid (principal, action, resource)\nwhen { context.tokenFunction == "approve" && context.recipient != "${router}" };`,
    },
  ],
}
