/** bursar agent freeze|unfreeze, bursar halt [reset], bursar breaker list — circuit breakers by hand. */
import { type ConnectionOptions, ownerTransport, request } from '../connection.ts'
import { CliError, type Output, print } from '../output.ts'

type Breaker = {
  scope: string
  agent_id: string | null
  tripped: boolean
  signal: string | null
  reason: string | null
  tripped_at: string | null
}

export async function freezeCommand(
  action: 'freeze' | 'unfreeze',
  agentId: string | undefined,
  options: ConnectionOptions & Output & { reason?: string | undefined },
) {
  if (!agentId)
    throw new CliError(
      'USAGE',
      `usage: bursar agent ${action} <agent id>${action === 'freeze' ? ' [--reason text]' : ''}`,
    )
  const transport = ownerTransport(options)
  const path = `v1/agents/${encodeURIComponent(agentId)}/${action}`
  const result = await request<Record<string, unknown>>(
    transport,
    'POST',
    path,
    action === 'freeze' ? { body: options.reason ? { reason: options.reason } : {} } : {},
  )
  print(options, result, () =>
    action === 'freeze'
      ? `${agentId} frozen: no new intents, nothing signed until \`bursar agent unfreeze ${agentId}\``
      : `${agentId} breaker reset`,
  )
}

export async function haltCommand(
  sub: string | undefined,
  options: ConnectionOptions & Output & { reason?: string | undefined },
) {
  const transport = ownerTransport(options)
  if (sub === 'reset') {
    const result = await request<Breaker>(transport, 'POST', 'v1/halt/reset')
    return print(options, result, () => 'global breaker reset: intents are accepted and signed again')
  }
  if (sub !== undefined) throw new CliError('USAGE', 'usage: bursar halt [--reason text] | bursar halt reset')
  const result = await request<Record<string, unknown>>(transport, 'POST', 'v1/halt', {
    body: options.reason ? { reason: options.reason } : {},
  })
  print(
    options,
    result,
    () => 'HALTED: no intent of any agent is accepted or signed until `bursar halt reset`',
  )
}

export async function breakerCommand(sub: string | undefined, options: ConnectionOptions & Output) {
  if (sub !== 'list') throw new CliError('USAGE', 'usage: bursar breaker list')
  const { data } = await request<{ data: Breaker[] }>(ownerTransport(options), 'GET', 'v1/breakers')
  print(options, data, () =>
    data.length === 0
      ? 'no breaker has ever tripped'
      : data
          .map(
            (b) =>
              `${(b.agent_id ?? 'global').padEnd(30)} ${b.tripped ? 'TRIPPED' : 'ok     '} ${b.signal ?? ''} ${b.reason ?? ''}`,
          )
          .join('\n'),
  )
}
