/** bursar send — submit a transfer as an agent and, with --wait, follow it to a final state. */
import { agentClient, type ConnectionOptions } from '../connection.ts'
import { CliError, type Output, print } from '../output.ts'

export type SendOptions = ConnectionOptions &
  Output & {
    network: string
    to: string
    amount: string
    asset?: string | undefined
    idempotencyKey?: string | undefined
    wait?: boolean | undefined
  }

export async function sendCommand(options: SendOptions) {
  const client = agentClient(options)
  let intent = await client.sendIntent(
    {
      type: 'transfer',
      network: options.network,
      to: options.to,
      amount: options.amount,
      ...(options.asset ? { asset: options.asset } : {}),
    },
    options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {},
  )
  if (options.wait) intent = await client.waitForIntent(intent.id)
  print(options, intent, () => `${intent.id}  ${intent.status}${intent.tx_hash ? `  ${intent.tx_hash}` : ''}`)
  if (intent.status === 'failed')
    throw new CliError(intent.error?.code ?? 'FAILED', intent.error?.message ?? 'intent failed')
  // With --wait, scripts read the exit code as "paid or not": any other final state is a failure.
  if (options.wait && intent.status !== 'confirmed') {
    throw new CliError(
      `INTENT_${intent.status.toUpperCase()}`,
      `intent ${intent.id} ended ${intent.status}, not confirmed`,
    )
  }
}
