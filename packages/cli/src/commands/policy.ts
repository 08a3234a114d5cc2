/** bursar policy set|get|history|diff|test|replay|templates|template — policies as JSON documents, from the shell. */
import { readFileSync } from 'node:fs'
import type { IntentRequest } from '@bursar/core/api'
import { diffPolicies, type PolicyDocument, policyTemplates } from '@bursar/core/policy'
import type { SetPolicyParameters } from '@bursar/sdk'
import { type ConnectionOptions, ownerClient } from '../connection.ts'
import { CliError, type Output, print } from '../output.ts'

export type PolicyOptions = ConnectionOptions & Output

// The server checks a document whole and names every problem (POLICY_INVALID): no point checking it here first.
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'))

export const policyTemplateNames = Object.keys(policyTemplates)

// Templates are local documents: no server needed to read them.
export function policyTemplatesCommand(options: Output) {
  print(options, policyTemplateNames, () => policyTemplateNames.join('\n'))
}

export function policyTemplateCommand(name: string, options: Output) {
  const template = policyTemplates[name]
  if (!template) throw new CliError('USAGE', `no template "${name}": ${policyTemplateNames.join(', ')}`)
  print(options, template, () => JSON.stringify(template, null, 2))
}

export async function policySetCommand(agentId: string, file: string, options: PolicyOptions) {
  const result = await ownerClient(options).setPolicy(agentId, readJson(file) as SetPolicyParameters)
  print(options, result, () =>
    [
      `policy version ${result.version} is now in force`,
      ...result.warnings.map((w) => `warning ${w.path}: ${w.message}`),
    ].join('\n'),
  )
}

export async function policyGetCommand(agentId: string, options: PolicyOptions) {
  const policy = await ownerClient(options).getPolicy(agentId)
  print(options, policy, () => JSON.stringify(policy.document, null, 2))
}

export async function policyHistoryCommand(agentId: string, options: PolicyOptions) {
  const { data } = await ownerClient(options).listPolicyVersions(agentId)
  print(options, data, () => data.map((v) => `v${v.version}  ${v.created_at}  by ${v.created_by}`).join('\n'))
}

export async function policyDiffCommand(agentId: string, from: number, to: number, options: PolicyOptions) {
  const { data } = await ownerClient(options).listPolicyVersions(agentId)
  const pick = (version: number) => {
    const found = data.find((candidate) => candidate.version === version)
    if (!found) throw new CliError('NOT_FOUND', `no policy version ${version}`)
    return found.document as PolicyDocument
  }
  const changes = diffPolicies(pick(from), pick(to))
  print(options, changes, () =>
    changes.length === 0
      ? 'no differences'
      : changes
          .map(
            (c) =>
              `${c.path}\n  - ${JSON.stringify(c.before ?? null)}\n  + ${JSON.stringify(c.after ?? null)}`,
          )
          .join('\n'),
  )
}

export async function policyTestCommand(
  agentId: string,
  options: PolicyOptions & {
    to: string
    amount?: string | undefined
    asset?: string | undefined
    network: string
    data?: string | undefined
    value?: string | undefined
  },
) {
  const intent: IntentRequest = options.data
    ? {
        type: 'call',
        network: options.network,
        to: options.to,
        data: options.data,
        ...(options.value ? { value: options.value } : {}),
      }
    : {
        type: 'transfer',
        network: options.network,
        to: options.to,
        amount: options.amount ?? '0',
        ...(options.asset ? { asset: options.asset } : {}),
      }
  const result = await ownerClient(options).dryRunIntent(agentId, intent)
  print(options, result, () =>
    [
      `outcome: ${result.decision.outcome}   (policy version ${result.policy_version ?? 'none'})`,
      ...result.decision.explanation.map(
        (e) => `  ${e.result.padEnd(8)} ${e.kind.padEnd(16)} ${e.rule}${e.detail ? `  ${e.detail}` : ''}`,
      ),
      ...result.decision.reasons.map((r) => `reason ${r.code} (${r.rule}): ${r.message}`),
    ].join('\n'),
  )
}

export async function policyReplayCommand(
  agentId: string,
  file: string,
  options: PolicyOptions & { since: string },
) {
  const result = await ownerClient(options).replayPolicy(agentId, {
    policy: readJson(file),
    since: options.since,
  })
  print(options, result, () =>
    [
      `${result.evaluated} intents re-evaluated; ${result.changed.length} would have a different outcome`,
      ...result.changed.map(
        (c) => `  ${c.intent_id}  ${c.before} → ${c.after}  ${c.reasons.map((r) => r.code).join(', ')}`,
      ),
    ].join('\n'),
  )
}
