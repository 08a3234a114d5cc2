/** Runs the Cedar rules once on a sample intent at validation time, to catch typos that would otherwise fail closed later. */
import type { EffectiveIntent } from '../../chains/EffectiveIntent.ts'
import type { CompiledPolicy } from '../CompiledPolicy.ts'
import { evaluatePolicy } from '../evaluatePolicy.ts'
import type { PolicyWarning } from '../PolicyWarning.ts'

const sampleAddress = '0x0000000000000000000000000000000000000001'

/** A warning per Cedar rule that errors on a small native transfer with every context field present. */
export function cedarSampleWarnings(policy: CompiledPolicy): PolicyWarning[] {
  const cedar = policy.cedar
  if (cedar === undefined) return []
  const network = policy.document.chains?.allow[0] ?? 'anvil'
  const intent: EffectiveIntent = {
    agentId: 'sample-agent',
    network,
    type: 'transfer',
    target: sampleAddress,
    value: 1n,
    selectors: [],
    effects: [{ kind: 'transfer', asset: `${network}:native`, amount: 1n, to: sampleAddress }],
    unvalued: [],
    targetIsToken: false,
    submitted: { asset: `${network}:native`, amount: 1n, recipient: sampleAddress },
  }
  // Only the Cedar rules: the rest of the policy could deny the sample and hide a Cedar error.
  const cedarOnly = emptyRules(policy)
  const decision = evaluatePolicy(
    cedarOnly,
    intent,
    {
      spend: new Map(),
      fees: new Map(),
      usdMicros: new Map(),
      counts: new Map(),
      knownRecipients: new Set([sampleAddress]),
    },
    {
      now: new Date(0),
      agentStatus: 'active',
      breaker: { tripped: false },
      prices: () => ({ usdMicrosPerUnit: 1n, decimals: 0 }),
    },
  )
  const paths = new Map(
    (policy.document.cedar ?? []).map((rule, index) => [rule.id, `$.cedar[${index}].policy`]),
  )
  return decision.reasons
    .filter((reason) => reason.code === 'CEDAR_ERROR')
    .map((reason) => ({
      path: paths.get(reason.rule) ?? '$.cedar',
      code: 'CEDAR_SAMPLE_ERROR' as const,
      message: `Errors on a sample intent (${reason.message}); when this happens at evaluation the intent is denied`,
    }))
}

function emptyRules(policy: CompiledPolicy): CompiledPolicy {
  return {
    ...policy,
    chains: undefined,
    recipientDeny: undefined,
    recipientAllow: undefined,
    contractAllow: undefined,
    selectorDeny: undefined,
    selectorAllow: undefined,
    allowUnvalued: undefined,
    forbidUnlimitedApprovals: undefined,
    timeWindows: undefined,
    perTransaction: [],
    windows: [],
    onlyListedAssets: undefined,
    rateLimits: [],
    approvals: [],
    feeCaps: new Map(),
    feeWindows: [],
  }
}
