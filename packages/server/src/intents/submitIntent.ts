/** Accepts an intent: validate, simulate, then decide and reserve in one transaction serialised per agent. */
import { createHash } from 'node:crypto'
import type { Intent, IntentRequest } from '@bursar/core/api'
import { canonicalJson } from '@bursar/core/audit'
import { BursarError, isBursarError } from '@bursar/core/errors'
import { findIntentByIdempotencyKey, type IntentRow } from '@bursar/store'
import type { ServerContext } from '../context.ts'
import { agentWalletCached } from './agentWalletCached.ts'
import { decideAndReserve } from './decideAndReserve.ts'
import { prepareIntent } from './prepareIntent.ts'
import { recordRefusal, refusalCodes } from './recordRefusal.ts'
import { toIntentResponse } from './toIntentResponse.ts'

export type SubmitIntentParameters = {
  agentId: string
  request: IntentRequest
  idempotencyKey?: string | undefined
}

export type SubmitIntentReturnType = { intent: Intent; replayed: boolean }

function requestHash(request: IntentRequest): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex')
}

/** A denied intent is stored (and audited) like any other; the caller learns of it as POLICY_DENIED. */
function outcomeOf(row: IntentRow, replayed: boolean): SubmitIntentReturnType {
  if (row.status === 'rejected') {
    const decision = row.decision as { reasons?: unknown } | null
    throw new BursarError('POLICY_DENIED', 'the policy denied this intent', {
      details: { intent_id: row.id, policy_version: row.policy_version, reasons: decision?.reasons ?? [] },
    })
  }
  return { intent: toIntentResponse(row), replayed }
}

function checkReplay(existing: IntentRow, hash: string): SubmitIntentReturnType {
  if (existing.request_hash !== hash) {
    throw new BursarError(
      'IDEMPOTENCY_KEY_REUSED',
      'this Idempotency-Key was already used with a different request body',
      {
        details: { intent_id: existing.id },
      },
    )
  }
  return outcomeOf(existing, true)
}

export async function submitIntent(
  ctx: ServerContext,
  params: SubmitIntentParameters,
): Promise<SubmitIntentReturnType> {
  const hash = requestHash(params.request)
  const key = params.idempotencyKey ?? null
  if (key !== null) {
    const existing = await findIntentByIdempotencyKey(ctx.db, params.agentId, key)
    if (existing) return checkReplay(existing, hash)
  }
  const prepared = prepareIntent(ctx, params.agentId, params.request)
  const { adapter } = prepared.entry
  const wallet = await agentWalletCached(ctx, params.agentId, adapter.network.family)
  // Simulate before deciding: a revert is refused (and recorded), and what it needs sizes the fee to reserve.
  let simulated: Awaited<ReturnType<typeof adapter.simulate>>
  try {
    simulated = await adapter.simulate(wallet.address, prepared.tx)
  } catch (error) {
    if (isBursarError(error) && refusalCodes.has(error.code)) {
      await ctx.db.transaction((tx) =>
        recordRefusal(ctx, tx, {
          agentId: params.agentId,
          walletId: wallet.id,
          request: params.request,
          requestHash: hash,
          prepared,
          error,
        }),
      )
    }
    throw error
  }
  // Fees are spend: the most this transaction's fee may cost is reserved against the native asset's limits.
  const result = await decideAndReserve(ctx, {
    agentId: params.agentId,
    wallet,
    request: params.request,
    prepared: {
      ...prepared,
      tx: simulated.tx,
      effective: adapter.withFee(prepared.effective, simulated.maxFee),
    },
    maxFee: simulated.maxFee,
    requestHash: hash,
    idempotencyKey: key,
  })
  if (result.refused) throw result.refused
  if (result.replayed) return checkReplay(result.row, hash)
  ctx.metrics.intentsSubmitted.inc({ outcome: result.row.status })
  if (result.row.status === 'queued') ctx.wakeExecutor()
  return outcomeOf(result.row, false)
}
