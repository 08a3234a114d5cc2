/** Template: an agent paying for APIs over x402 — many small USDC payments to merchants it meets on the way. */
import type { PolicyDocument } from '../policyDocumentSchema.ts'
import { usdc } from './anvilPlaceholders.ts'

const usdcAsset = `anvil:${usdc}`

export const x402Buyer: PolicyDocument = {
  description:
    'x402 buyer: pays for HTTP resources in USDC. Payments are small and frequent and go to merchants the agent has ' +
    'not met before, so there is no recipient allowlist; instead every payment is capped, hourly and daily budgets ' +
    'bound the total, bursts are rate limited, and a first payment above 10 cents to a new merchant waits for an ' +
    'admin. Nothing but USDC transfers is allowed. Addresses are anvil placeholders: replace network and token.',
  chains: { allow: ['anvil'] },
  contracts: {
    allow: [usdc],
    selectors: { allow: ['transfer(address,uint256)'] },
    forbidUnlimitedApprovals: true,
  },
  limits: {
    perTransaction: [
      { id: 'usdc-per-payment', description: '1 USDC (6 decimals)', asset: usdcAsset, max: '1000000' },
    ],
    windows: [
      { id: 'usdc-hourly', description: '5 USDC per hour', window: '1h', asset: usdcAsset, max: '5000000' },
      { id: 'usdc-daily', description: '20 USDC per day', window: '24h', asset: usdcAsset, max: '20000000' },
      {
        id: 'usdc-weekly',
        description: '100 USDC per week',
        window: '7d',
        asset: usdcAsset,
        max: '100000000',
      },
    ],
    onlyListedAssets: true,
  },
  fees: {
    perTransaction: [
      {
        id: 'fee-cap',
        description: '0.0005 ETH of gas per payment',
        asset: 'anvil:native',
        max: '500000000000000',
      },
    ],
  },
  rateLimits: [
    { id: 'payments-per-minute', window: '1m', max: 10 },
    { id: 'payments-per-hour', window: '1h', max: 200 },
  ],
  approvals: {
    approvers: ['role:admin'],
    quorum: 1,
    rules: [
      {
        id: 'new-merchant',
        description: 'A first payment above 0.10 USDC to a merchant waits for an admin',
        newRecipient: true,
        asset: usdcAsset,
        above: '100000',
      },
    ],
  },
}
