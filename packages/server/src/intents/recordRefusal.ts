/**
 * Intents refused before a policy decision (simulation reverted, no funds, agent paused, frozen or halted) are still
 * recorded: a rejected intent without reservation and an audit entry. They count for rate limits and the denial
 * breaker, so an agent hammering the API is noticed and stopped like one collecting denials.
 */
import type { IntentRequest } from '@bursar/core/api'
import { summarizeEffects } from '@bursar/core/chains'
import type { BursarError } from '@bursar/core/errors'
import { type IntentRow, insertDecidedIntent, newId, type Sql } from '@bursar/store'
import { checkDenialSignal } from '../breakers/breakerSignals.ts'
import type { ServerContext } from '../context.ts'
import { currentCompiledPolicy } from './decideIntent.ts'
import type { PreparedIntent } from './prepareIntent.ts'

export type RecordRefusalParameters = {
  agentId: string
  walletId: string
  request: IntentRequest
  requestHash: string
  prepared: PreparedIntent
  error: BursarError
}

/** The error codes that are the agent's doing (a probe), as opposed to an outage. */
export const refusalCodes = new Set([
  'SIMULATION_REVERTED',
  'INSUFFICIENT_FUNDS',
  'AGENT_PAUSED',
  'AGENT_FROZEN',
  'SYSTEM_HALTED',
])

export async function recordRefusal(
  ctx: ServerContext,
  tx: Sql,
  params: RecordRefusalParameters,
): Promise<IntentRow> {
  const { primary, parties } = summarizeEffects(params.prepared.effective)
  const error = { code: params.error.code, message: params.error.message }
  const row = await insertDecidedIntent(
    tx,
    {
      id: newId('int'),
      agentId: params.agentId,
      walletId: params.walletId,
      network: params.prepared.entry.adapter.network.name,
      status: 'rejected',
      request: params.request,
      requestHash: params.requestHash,
      // Not bound to the key: retrying the same request once the cause is fixed must be possible.
      idempotencyKey: null,
      asset: primary.asset,
      amount: primary.amount.toString(),
      recipient: params.prepared.entry.adapter.formatAddress(primary.recipient),
      recipients: parties,
      decision: null,
      policyVersion: null,
      error,
    },
    {
      events: [
        { from: null, to: 'received' },
        { from: 'received', to: 'rejected' },
      ],
      reservations: [],
      audit: [
        {
          actor: { type: 'agent', id: params.agentId },
          action: 'intent.refused',
          data: {
            request_hash: params.requestHash,
            network: params.prepared.entry.adapter.network.name,
            asset: primary.asset,
            amount: primary.amount.toString(),
            recipient: primary.recipient,
            code: error.code,
            status: 'rejected',
          },
        },
      ],
    },
  )
  await checkDenialSignal(ctx, tx, {
    agentId: params.agentId,
    policy: await currentCompiledPolicy(ctx, tx, params.agentId),
  })
  ctx.metrics.intentsSubmitted.inc({ outcome: 'refused' })
  return row
}
