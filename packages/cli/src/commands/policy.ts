/** bursar policy set|get|history|diff|test|replay — policies as JSON documents, edited and tried from the shell. */
import { readFileSync } from 'node:fs'
import { diffPolicies, type PolicyDocument, policyTemplates } from '@bursar/core/policy'
import { type ConnectionOptions, ownerTransport, request } from '../connection.ts'
import { CliError, type Output, print } from '../output.ts'

type Version = { version: number; document: PolicyDocument; created_at: string; created_by?: string | null }
type PolicyOptions = ConnectionOptions &
  Output & {
    to?: string | undefined
    amount?: string | undefined
    asset?: string | undefined
    network?: string | undefined
    data?: string | undefined
    value?: string | undefined
    since?: string | undefined
  }

export async function policyCommand(sub: string | undefined, args: string[], options: PolicyOptions) {
  // Templates are local documents: no server needed to read them.
  if (sub === 'templates') {
    const names = Object.keys(policyTemplates)
    return print(options, names, () => names.join('\n'))
  }
  if (sub === 'template') {
    const template = args[0] === undefined ? undefined : policyTemplates[args[0]]
    if (!template)
      throw new CliError('USAGE', `usage: bursar policy template <${Object.keys(policyTemplates).join('|')}>`)
    return print(options, template, () => JSON.stringify(template, null, 2))
  }
  const transport = ownerTransport(options)
  const agentId = args[0]
  if (!agentId)
    throw new CliError('USAGE', 'usage: bursar policy set|get|history|diff|test|replay <agent id> …')
  const base = `v1/agents/${encodeURIComponent(agentId)}`
  switch (sub) {
    case 'set': {
      if (!args[1]) throw new CliError('USAGE', 'usage: bursar policy set <agent id> <policy.json>')
      const document = JSON.parse(readFileSync(args[1], 'utf8')) as unknown
      const result = await request<{ version: number; warnings: Array<{ path: string; message: string }> }>(
        transport,
        'PUT',
        `${base}/policy`,
        {
          body: document,
        },
      )
      return print(options, result, () =>
        [
          `policy version ${result.version} is now in force`,
          ...result.warnings.map((w) => `warning ${w.path}: ${w.message}`),
        ].join('\n'),
      )
    }
    case 'get': {
      const policy = await request<Version>(transport, 'GET', `${base}/policy`)
      return print(options, policy, () => JSON.stringify(policy.document, null, 2))
    }
    case 'history': {
      const { data } = await request<{ data: Version[] }>(transport, 'GET', `${base}/policy/versions`)
      return print(options, data, () =>
        data.map((v) => `v${v.version}  ${v.created_at}  by ${v.created_by ?? '?'}`).join('\n'),
      )
    }
    case 'diff': {
      const [, from, to] = args
      if (!from || !to)
        throw new CliError('USAGE', 'usage: bursar policy diff <agent id> <version> <version>')
      const { data } = await request<{ data: Version[] }>(transport, 'GET', `${base}/policy/versions`)
      const pick = (v: string) => {
        const found = data.find((candidate) => candidate.version === Number(v))
        if (!found) throw new CliError('NOT_FOUND', `no policy version ${v}`)
        return found.document
      }
      const changes = diffPolicies(pick(from), pick(to))
      return print(options, changes, () =>
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
    case 'test': {
      if (!options.to)
        throw new CliError(
          'USAGE',
          'usage: bursar policy test <agent id> --to <addr> (--amount <n> | --data 0x… [--value n])',
        )
      const intent = options.data
        ? {
            type: 'call',
            network: options.network ?? 'anvil',
            to: options.to,
            data: options.data,
            ...(options.value ? { value: options.value } : {}),
          }
        : {
            type: 'transfer',
            network: options.network ?? 'anvil',
            to: options.to,
            amount: options.amount ?? '0',
            ...(options.asset ? { asset: options.asset } : {}),
          }
      const result = await request<{
        decision: {
          outcome: string
          reasons: Array<{ code: string; rule: string; message: string }>
          explanation: Array<{ rule: string; kind: string; result: string; detail?: string }>
        }
        policy_version: number | null
      }>(transport, 'POST', 'v1/intents/dry-run', { body: intent, query: { agent_id: agentId } })
      return print(options, result, () =>
        [
          `outcome: ${result.decision.outcome}   (policy version ${result.policy_version ?? 'none'})`,
          ...result.decision.explanation.map(
            (e) => `  ${e.result.padEnd(8)} ${e.kind.padEnd(16)} ${e.rule}${e.detail ? `  ${e.detail}` : ''}`,
          ),
          ...result.decision.reasons.map((r) => `reason ${r.code} (${r.rule}): ${r.message}`),
        ].join('\n'),
      )
    }
    case 'replay': {
      if (!args[1])
        throw new CliError('USAGE', 'usage: bursar policy replay <agent id> <draft.json> [--since 7d]')
      const draft = JSON.parse(readFileSync(args[1], 'utf8')) as unknown
      const result = await request<{
        evaluated: number
        changed: Array<{ intent_id: string; before: string; after: string; reasons: Array<{ code: string }> }>
      }>(transport, 'POST', `${base}/policy/replay`, {
        body: { policy: draft, since: options.since ?? '7d' },
      })
      return print(options, result, () =>
        [
          `${result.evaluated} intents re-evaluated; ${result.changed.length} would have a different outcome`,
          ...result.changed.map(
            (c) => `  ${c.intent_id}  ${c.before} → ${c.after}  ${c.reasons.map((r) => r.code).join(', ')}`,
          ),
        ].join('\n'),
      )
    }
    default:
      throw new CliError('USAGE', 'usage: bursar policy set|get|history|diff|test|replay <agent id> …')
  }
}
