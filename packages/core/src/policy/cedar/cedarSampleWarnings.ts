/** Runs the Cedar rules once on a sample intent at validation time, to catch typos that would otherwise fail closed later. */
import { isAuthorized } from '@cedar-policy/cedar-wasm/nodejs'
import type { CompiledPolicy } from '../CompiledPolicy.ts'
import { decodeIntent } from '../decodeIntent.ts'
import type { PolicyIntent } from '../PolicyIntent.ts'
import type { Usage } from '../Usage.ts'
import type { PolicyWarning } from '../validatePolicy.ts'
import { cedarContext } from './cedarContext.ts'

const sampleAddress = '0x0000000000000000000000000000000000000001'

/** A warning per Cedar rule that errors on a small native transfer with every context field present. */
export function cedarSampleWarnings(policy: CompiledPolicy): PolicyWarning[] {
  const cedar = policy.cedar
  if (cedar === undefined) return []
  const intent: PolicyIntent = {
    agentId: 'sample-agent',
    network: policy.document.chains?.allow[0] ?? 'anvil',
    type: 'transfer',
    to: sampleAddress,
    value: 1n,
    asset: `${policy.document.chains?.allow[0] ?? 'anvil'}:native`,
    amount: 1n,
    recipient: sampleAddress,
  }
  const usage: Usage = { spend: new Map(), usdMicros: new Map(), counts: new Map(), recipientKnown: true }
  const context = cedarContext(policy, intent, decodeIntent(intent), usage, new Date(0), 1n)
  const answer = isAuthorized({
    principal: { type: 'Agent', id: intent.agentId },
    action: { type: 'Action', id: 'submit' },
    resource: { type: 'Intent', id: intent.network },
    context,
    policies: { staticPolicies: cedar.policies },
    entities: [],
  })
  if (answer.type === 'failure') {
    return [
      {
        path: '$.cedar',
        code: 'CEDAR_SAMPLE_ERROR',
        message: answer.errors.map((e) => e.message).join('; '),
      },
    ]
  }
  const paths = new Map(
    (policy.document.cedar ?? []).map((rule, index) => [rule.id, `$.cedar[${index}].policy`]),
  )
  return answer.response.diagnostics.errors.map((error) => ({
    path: paths.get(error.policyId) ?? '$.cedar',
    code: 'CEDAR_SAMPLE_ERROR',
    message: `Errors on a sample intent (${error.error.message}); when this happens at evaluation the intent is denied`,
  }))
}
