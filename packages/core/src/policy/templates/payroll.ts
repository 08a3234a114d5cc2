/** Template: an agent paying a fixed team in USDC, with two sign-offs for large payments. */
import type { PolicyDocument } from '../policyDocumentSchema.ts'
import { anvilAccounts, usdc } from './anvilPlaceholders.ts'

const usdcAsset = `anvil:${usdc}`

export const payroll: PolicyDocument = {
  description:
    'Payroll: pays allowlisted employees in USDC on weekdays 08:00-18:00 UTC. Each payment is capped at 15,000 USDC, ' +
    'each day at 45,000 and each 30 days at 60,000; payments above 10,000 need two approvers, and the first ' +
    'payment to anyone needs one. Nothing else (no ETH, no other calls) is allowed. To name who signs off (the ' +
    'finance lead, the CFO, the CEO), list their account ids ("acc_…") instead of "role:approver". Addresses are ' +
    'anvil placeholders: replace network, token and employees.',
  chains: { allow: ['anvil'] },
  recipients: { allow: [...anvilAccounts] },
  contracts: {
    allow: [usdc],
    selectors: { allow: ['transfer(address,uint256)'] },
    forbidUnlimitedApprovals: true,
  },
  timeWindows: [
    { id: 'office-hours', days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' },
  ],
  limits: {
    perTransaction: [{ id: 'payment-cap', description: '15,000 USDC', asset: usdcAsset, max: '15000000000' }],
    windows: [
      { id: 'daily-budget', description: '45,000 USDC', window: '24h', asset: usdcAsset, max: '45000000000' },
      {
        id: 'monthly-budget',
        description: '60,000 USDC',
        window: '30d',
        asset: usdcAsset,
        max: '60000000000',
      },
    ],
    onlyListedAssets: true,
  },
  fees: {
    perTransaction: [
      {
        id: 'fee-cap',
        description: '0.002 ETH of gas per payment',
        asset: 'anvil:native',
        max: '2000000000000000',
      },
    ],
  },
  rateLimits: [{ id: 'payments-per-day', window: '24h', max: 20 }],
  approvals: {
    approvers: ['role:approver'],
    quorum: 2,
    rules: [
      { id: 'large-payment', asset: usdcAsset, above: '10000000000' },
      { id: 'first-payment', newRecipient: true, quorum: 1 },
    ],
  },
}
