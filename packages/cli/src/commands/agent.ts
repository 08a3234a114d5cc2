/** bursar agent create|list|show|pause|resume|delete */
import { readFileSync } from 'node:fs'
import { type ConnectionOptions, ownerTransport, request } from '../connection.ts'
import { CliError, type Output, print } from '../output.ts'

type Agent = { id: string; name: string; status: string; wallets: Array<{ id: string; address: string }> }

export async function agentCommand(
  sub: string | undefined,
  args: string[],
  options: ConnectionOptions & Output & { policy?: string | undefined },
) {
  const transport = ownerTransport(options)
  switch (sub) {
    case 'create': {
      const name = args[0]
      if (!name) throw new CliError('USAGE', 'usage: bursar agent create <name> [--policy policy.json]')
      const policy = options.policy ? JSON.parse(readFileSync(options.policy, 'utf8')) : undefined
      const created = await request<{
        agent: Agent
        api_key: { secret: string; prefix: string } | null
        warnings: unknown[]
      }>(transport, 'POST', 'v1/agents', { body: { name, ...(policy === undefined ? {} : { policy }) } })
      return print(options, created, () =>
        [
          `agent    ${created.agent.id} (${created.agent.name})`,
          `wallet   ${created.agent.wallets[0]?.id} ${created.agent.wallets[0]?.address}`,
          `api key  ${created.api_key?.secret ?? '(none)'}`,
          '         shown once: store it now, Bursar keeps only its hash',
          ...(policy === undefined
            ? ['policy   none yet: every intent is denied until you run `bursar policy set`']
            : []),
        ].join('\n'),
      )
    }
    case 'list': {
      const { data } = await request<{ data: Agent[] }>(transport, 'GET', 'v1/agents')
      return print(options, data, () =>
        data.length === 0
          ? 'no agents'
          : data
              .map((a) => `${a.id}  ${a.status.padEnd(7)} ${a.wallets[0]?.address ?? ''}  ${a.name}`)
              .join('\n'),
      )
    }
    case 'show': {
      const agent = await request<Agent>(transport, 'GET', `v1/agents/${need(args[0], 'show')}`)
      return print(options, agent, () => JSON.stringify(agent, null, 2))
    }
    case 'pause':
    case 'resume': {
      const agent = await request<Agent>(transport, 'POST', `v1/agents/${need(args[0], sub)}/${sub}`)
      return print(options, agent, () => `${agent.id} is now ${agent.status}`)
    }
    case 'delete': {
      const agent = await request<Agent>(transport, 'DELETE', `v1/agents/${need(args[0], 'delete')}`)
      return print(options, agent, () => `${agent.id} deleted; its API keys are revoked`)
    }
    default:
      throw new CliError('USAGE', 'usage: bursar agent create|list|show|pause|resume|delete')
  }
}

function need(value: string | undefined, sub: string): string {
  if (!value) throw new CliError('USAGE', `usage: bursar agent ${sub} <agent id>`)
  return encodeURIComponent(value)
}
