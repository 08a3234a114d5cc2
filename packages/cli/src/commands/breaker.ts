/** bursar agent freeze|unfreeze, bursar halt [reset], bursar breaker list — circuit breakers by hand. */
import { type ConnectionOptions, ownerClient } from '../connection.ts'
import { type Output, print } from '../output.ts'

export type BreakerOptions = ConnectionOptions & Output

export async function agentFreezeCommand(
  agentId: string,
  options: BreakerOptions & { reason?: string | undefined },
) {
  const result = await ownerClient(options).freezeAgent(
    agentId,
    options.reason ? { reason: options.reason } : {},
  )
  print(
    options,
    result,
    () => `${agentId} frozen: no new intents, nothing signed until \`bursar agent unfreeze ${agentId}\``,
  )
}

export async function agentUnfreezeCommand(agentId: string, options: BreakerOptions) {
  const result = await ownerClient(options).unfreezeAgent(agentId)
  print(options, result, () => `${agentId} breaker reset`)
}

export async function haltCommand(options: BreakerOptions & { reason?: string | undefined }) {
  const result = await ownerClient(options).halt(options.reason ? { reason: options.reason } : {})
  print(
    options,
    result,
    () => 'HALTED: no intent of any agent is accepted or signed until `bursar halt reset`',
  )
}

export async function haltResetCommand(options: BreakerOptions) {
  const result = await ownerClient(options).resetHalt()
  print(options, result, () => 'global breaker reset: intents are accepted and signed again')
}

export async function breakerListCommand(options: BreakerOptions) {
  const { data } = await ownerClient(options).listBreakers()
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
