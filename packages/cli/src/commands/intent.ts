/** bursar intent show|list|cancel — with an owner token (all agents) or an agent key (its own). */
import type { IntentStatus } from '@bursar/core/api'
import { agentClient, type ConnectionOptions, ownerClient } from '../connection.ts'
import { type Output, print } from '../output.ts'

export type IntentOptions = ConnectionOptions & Output

// An explicit flag wins over the environment: --token means the owner's view even with BURSAR_API_KEY set.
function asAgent(options: ConnectionOptions): boolean {
  return !options.token && Boolean(options.apiKey || process.env.BURSAR_API_KEY)
}

function client(options: ConnectionOptions) {
  return asAgent(options) ? agentClient(options) : ownerClient(options)
}

export async function intentShowCommand(intentId: string, options: IntentOptions) {
  const intent = await client(options).getIntent(intentId)
  print(options, intent, () => JSON.stringify(intent, null, 2))
}

export async function intentListCommand(
  options: IntentOptions & {
    status?: IntentStatus | undefined
    agent?: string | undefined
    limit?: number | undefined
  },
) {
  const filters = {
    ...(options.status === undefined ? {} : { status: options.status }),
    ...(options.limit === undefined ? {} : { limit: options.limit }),
  }
  // An agent sees its own intents only: the agent filter is the owner's.
  const page = asAgent(options)
    ? await agentClient(options).listIntents(filters)
    : await ownerClient(options).listIntents({
        ...filters,
        ...(options.agent === undefined ? {} : { agent_id: options.agent }),
      })
  print(options, page, () =>
    page.data.length === 0
      ? 'no intents'
      : page.data
          .map((i) => `${i.id}  ${i.status.padEnd(10)} ${i.amount} ${i.asset} → ${i.recipient}`)
          .join('\n'),
  )
}

export async function intentCancelCommand(intentId: string, options: IntentOptions) {
  const intent = await client(options).cancelIntent(intentId)
  print(options, intent, () => `${intent.id} ${intent.status}`)
}
