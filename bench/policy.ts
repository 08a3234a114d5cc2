/** Policy engine benchmark: a realistic 20-rule policy evaluated in process; prints one JSON line. */
import { pathToFileURL } from 'node:url'
import { encodeFunctionData, erc20Abi, toFunctionSelector } from 'viem'
import { prepareEvmIntent, withEvmFee } from '../packages/chains/src/evm/index.ts'
import { nodeCedarEngine } from '../packages/core/src/cedar-node/nodeCedarEngine.ts'
import type { EffectiveIntent } from '../packages/core/src/chains/index.ts'
import type { EvmNetwork } from '../packages/core/src/networks/index.ts'
import {
  type CompiledPolicy,
  evaluatePolicy,
  type PolicyDocument,
  setDefaultCedarEngine,
  type Usage,
  validatePolicy,
} from '../packages/core/src/policy/index.ts'

setDefaultCedarEngine(nodeCedarEngine())

const usdc = '0x5fbdb2315678afecb367f032d93f642f64180aa3'
const router = '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512'
const people = [
  '0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
  '0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc',
  '0x90f79bf6eb2c4f870365e785982e1f101e93b906',
] as const
const usdcAsset = `anvil:${usdc}`

/** 20 rules: 7 allow/deny lists and contract rules, 1 set of time windows, 3 per-tx, 3 windows, 2 rate, 3 approval, 1 Cedar. */
export const benchPolicy: PolicyDocument = {
  chains: { allow: ['anvil', 'base'] },
  recipients: { allow: [...people, router], deny: ['0x000000000000000000000000000000000000dead'] },
  contracts: {
    allow: [usdc, router],
    selectors: {
      allow: [
        'transfer(address,uint256)',
        'approve(address,uint256)',
        'swapExactTokensForTokens(uint256,uint256,address[],address,uint256)',
      ],
      deny: ['transferFrom(address,address,uint256)'],
    },
    forbidUnlimitedApprovals: true,
  },
  timeWindows: [
    { id: 'weekdays', days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '06:00', end: '22:00' },
    { id: 'weekend-night', days: ['sat'], start: '22:00', end: '04:00' },
  ],
  limits: {
    perTransaction: [
      { id: 'eth-per-tx', asset: 'anvil:native', max: '1000000000000000000' },
      { id: 'usdc-per-tx', asset: usdcAsset, max: '5000000000' },
      { id: 'usd-per-tx', maxUsd: '5000' },
    ],
    windows: [
      { id: 'usdc-hourly', window: '1h', asset: usdcAsset, max: '10000000000' },
      { id: 'eth-daily', window: '24h', asset: 'anvil:native', max: '5000000000000000000' },
      { id: 'usd-weekly', window: '7d', maxUsd: '50000' },
    ],
  },
  rateLimits: [
    { id: 'burst', window: '1m', max: 30 },
    { id: 'hourly', window: '1h', max: 600 },
  ],
  approvals: {
    approvers: ['role:owner', 'role:risk'],
    rules: [
      { id: 'big-usdc', asset: usdcAsset, above: '2000000000' },
      { id: 'big-usd', aboveUsd: '3000', quorum: 2 },
      { id: 'first-payment', newRecipient: true, asset: usdcAsset, above: '100000000' },
    ],
  },
  cedar: [
    {
      id: 'approve-router-only',
      policy: `forbid (principal, action, resource) when { context.tokenFunction == "approve" && context.recipient != "${router}" };`,
    },
  ],
}

const network = (name: string): EvmNetwork => ({
  name,
  family: 'evm',
  chainId: 31337,
  rpcUrls: ['http://127.0.0.1:8545'],
  nativeSymbol: 'ETH',
  nativeDecimals: 18,
  confirmations: 1,
  tokens: [{ symbol: 'USDC', address: usdc, decimals: 6 }],
})

/**
 * The intents as the EVM adapter hands them to the engine (calldata already read; that is the adapter's cost, not
 * the engine's), each with a fee ceiling of 21,000 gas at 10 gwei.
 */
function intents(): EffectiveIntent[] {
  const fee = 21_000n * 10n ** 10n
  const prepare = (request: Parameters<typeof prepareEvmIntent>[2]) => {
    const net = network(request.network)
    return withEvmFee(net, prepareEvmIntent(net, 'agent-1', request).effective, fee)
  }
  const token = (to: string, amount: bigint, functionName: 'transfer' | 'approve' = 'transfer') =>
    prepare(
      functionName === 'transfer'
        ? { type: 'transfer', network: 'anvil', to, amount: amount.toString(), asset: 'USDC' }
        : {
            type: 'call',
            network: 'anvil',
            to: usdc,
            data: encodeFunctionData({ abi: erc20Abi, functionName, args: [to as `0x${string}`, amount] }),
          },
    )
  const native = (to: string, value: bigint, on = 'anvil') =>
    prepare({ type: 'transfer', network: on, to, amount: value.toString() })
  const swap =
    `${toFunctionSelector('swapExactTokensForTokens(uint256,uint256,address[],address,uint256)')}${'00'.repeat(160)}` as const
  return [
    token(people[0], 25_000_000n), // allow
    token(people[1], 2_500_000_000n), // approval (big-usdc)
    token(people[2], 6_000_000_000n), // deny (per-tx)
    native(people[0], 10n ** 17n), // allow
    native(people[1], 2n * 10n ** 18n), // deny (per-tx, USD)
    native('0x000000000000000000000000000000000000dead', 1n), // deny (denylist, allowlist)
    token(router, 1_000_000n, 'approve'), // allow
    token(people[2], 1_000_000n, 'approve'), // deny (Cedar, recipient)
    prepare({ type: 'call', network: 'anvil', to: router, data: swap }), // allow
    native(people[0], 1n, 'base'), // allow
  ]
}

const usage: Usage = {
  spend: new Map([
    [`${usdcAsset}|3600`, 1_000_000_000n],
    ['anvil:native|86400', 10n ** 18n],
  ]),
  fees: new Map(),
  usdMicros: new Map([[604_800, 10_000_000_000n]]),
  counts: new Map([
    [60, 3],
    [3600, 40],
  ]),
  knownRecipients: new Set([...people, router]),
}

const prices = (asset: string) =>
  asset.endsWith(':native')
    ? { usdMicrosPerUnit: 2_000_000_000n, decimals: 18 }
    : asset === usdcAsset
      ? { usdMicrosPerUnit: 1_000_000n, decimals: 6 }
      : undefined

function compile(document: PolicyDocument): CompiledPolicy {
  const result = validatePolicy(document)
  if (!result.ok) throw new Error(JSON.stringify(result.issues))
  return result.policy
}

/** Per-call latencies in microseconds (sorted) over `rounds` passes through the intents. */
function measure(
  policy: CompiledPolicy,
  list: EffectiveIntent[],
  rounds: number,
): { sorted: Float64Array; totalMs: number } {
  const context = {
    now: new Date('2024-01-03T12:00:00Z'),
    agentStatus: 'active' as const,
    breaker: { tripped: false },
    prices,
  }
  const samples = new Float64Array(rounds * list.length)
  let n = 0
  let sink = 0
  const start = performance.now()
  for (let round = 0; round < rounds; round++) {
    for (const intent of list) {
      const t0 = process.hrtime.bigint()
      const decision = evaluatePolicy(policy, intent, usage, context)
      samples[n++] = Number(process.hrtime.bigint() - t0) / 1000
      sink += decision.reasons.length
    }
  }
  const totalMs = performance.now() - start
  if (sink < 0) console.log(sink)
  return { sorted: samples.sort(), totalMs }
}

function percentile(sorted: Float64Array, p: number): number {
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]! * 10) / 10
}

export function main(): Record<string, unknown> {
  const withCedar = compile(benchPolicy)
  const { cedar: _cedar, ...withoutCedarDocument } = benchPolicy
  const withoutCedar = compile(withoutCedarDocument)
  const list = intents()
  measure(withCedar, list, 1000) // warm up the JIT and Cedar's parsed set
  measure(withoutCedar, list, 5000)
  const full = measure(withCedar, list, 3000)
  const lean = measure(withoutCedar, list, 20_000)
  const rules = 20
  const result = {
    bench: 'policy',
    rules,
    decisions_per_s: Math.round(full.sorted.length / (full.totalMs / 1000)),
    p50_us: percentile(full.sorted, 0.5),
    p99_us: percentile(full.sorted, 0.99),
    decisions_per_s_without_cedar: Math.round(lean.sorted.length / (lean.totalMs / 1000)),
    p50_us_without_cedar: percentile(lean.sorted, 0.5),
    p99_us_without_cedar: percentile(lean.sorted, 0.99),
  }
  console.log(JSON.stringify(result))
  return result
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main()
