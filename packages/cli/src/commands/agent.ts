/** bursar agent create|list|show|pause|resume|delete */
import { readFileSync } from 'node:fs'
import { type ConnectionOptions, ownerClient } from '../connection.ts'
import { type Output, print } from '../output.ts'

export type AgentOptions = ConnectionOptions & Output

export async function agentCreateCommand(
  name: string,
  options: AgentOptions & { policy?: string | undefined },
) {
  const policy = options.policy ? (JSON.parse(readFileSync(options.policy, 'utf8')) as unknown) : undefined
  const created = await ownerClient(options).createAgent({
    name,
    ...(policy === undefined ? {} : { policy }),
  })
  print(options, created, () =>
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

export async function agentListCommand(options: AgentOptions) {
  const { data } = await ownerClient(options).listAgents()
  print(options, data, () =>
    data.length === 0
      ? 'no agents'
      : data
          .map((a) => `${a.id}  ${a.status.padEnd(7)} ${a.wallets[0]?.address ?? ''}  ${a.name}`)
          .join('\n'),
  )
}

export async function agentShowCommand(agentId: string, options: AgentOptions) {
  const agent = await ownerClient(options).getAgent(agentId)
  print(options, agent, () => JSON.stringify(agent, null, 2))
}

export async function agentStatusCommand(action: 'pause' | 'resume', agentId: string, options: AgentOptions) {
  const client = ownerClient(options)
  const agent = await (action === 'pause' ? client.pauseAgent(agentId) : client.resumeAgent(agentId))
  print(options, agent, () => `${agent.id} is now ${agent.status}`)
}

export async function agentDeleteCommand(agentId: string, options: AgentOptions) {
  const agent = await ownerClient(options).deleteAgent(agentId)
  print(options, agent, () => `${agent.id} deleted; its API keys are revoked`)
}
