/** bursar intent show|list|cancel — with an owner token (all agents) or an agent key (its own). */
import type { Intent } from '@bursar/core/api'
import { agentTransport, type ConnectionOptions, ownerTransport, request } from '../connection.ts'
import { CliError, type Output, print } from '../output.ts'

export async function intentCommand(
  sub: string | undefined,
  args: string[],
  options: ConnectionOptions &
    Output & { status?: string | undefined; agent?: string | undefined; limit?: string | undefined },
) {
  // An explicit flag wins over the environment: --token means the owner's view even with BURSAR_API_KEY set.
  const transport = options.token
    ? ownerTransport(options)
    : options.apiKey || process.env.BURSAR_API_KEY
      ? agentTransport(options)
      : ownerTransport(options)
  switch (sub) {
    case 'show': {
      if (!args[0]) throw new CliError('USAGE', 'usage: bursar intent show <intent id>')
      const intent = await request<Intent>(transport, 'GET', `v1/intents/${encodeURIComponent(args[0])}`)
      return print(options, intent, () => JSON.stringify(intent, null, 2))
    }
    case 'list': {
      const page = await request<{ data: Intent[]; next_cursor: string | null }>(
        transport,
        'GET',
        'v1/intents',
        {
          query: { status: options.status, agent_id: options.agent, limit: options.limit },
        },
      )
      return print(options, page, () =>
        page.data.length === 0
          ? 'no intents'
          : page.data
              .map((i) => `${i.id}  ${i.status.padEnd(10)} ${i.amount} ${i.asset} → ${i.recipient}`)
              .join('\n'),
      )
    }
    case 'cancel': {
      if (!args[0]) throw new CliError('USAGE', 'usage: bursar intent cancel <intent id>')
      const intent = await request<Intent>(
        transport,
        'POST',
        `v1/intents/${encodeURIComponent(args[0])}/cancel`,
      )
      return print(options, intent, () => `${intent.id} ${intent.status}`)
    }
    default:
      throw new CliError('USAGE', 'usage: bursar intent show|list|cancel')
  }
}
