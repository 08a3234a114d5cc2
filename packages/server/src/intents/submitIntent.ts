/** Accepts an intent: validate, simulate, then decide and reserve in one transaction serialised per agent. */
import { createHash } from 'node:crypto'
import type { Intent, IntentRequest } from '@bursar/core/api'
import { canonicalJson } from '@bursar/core/audit'
import { BursarError } from '@bursar/core/errors'
import { findIntentByIdempotencyKey, type IntentRow } from '@bursar/store'
import type { ServerContext } from '../context.ts'
import { agentWalletCached } from './agentWalletCached.ts'
import { decideAndReserve } from './decideAndReserve.ts'
import { resolveIntent, toPolicyIntent } from './resolveIntent.ts'
import { toIntentResponse } from './toIntentResponse.ts'

export type SubmitIntentParameters = {
  agentId: string
  request: IntentRequest
  idempotencyKey?: string | undefined
}

export type SubmitIntentReturnType = { intent: Intent; replayed: boolean }

export function requestHash(request: IntentRequest): string {
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
  const resolved = resolveIntent(ctx, params.request)
  const wallet = await agentWalletCached(ctx, params.agentId)
  // Simulate before anything is written: a revert or an unreachable RPC leaves no trace but the response.
  await resolved.adapter.simulate({ from: wallet.address as `0x${string}`, ...resolved.tx })
  const policyIntent = toPolicyIntent(params.agentId, params.request, resolved)

  const { row, replayed } = await decideAndReserve(ctx, {
    agentId: params.agentId,
    walletId: wallet.id,
    request: params.request,
    resolved,
    policyIntent,
    requestHash: hash,
    idempotencyKey: key,
  })
  if (replayed) return checkReplay(row, hash)
  ctx.metrics.intentsSubmitted.inc({ outcome: row.status })
  if (row.status === 'queued') ctx.wakeExecutor()
  return outcomeOf(row, false)
}
