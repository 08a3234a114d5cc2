/**
 * Confirmer: follows every intent whose transaction left (broadcast) or may have (in_doubt) until the chain settles
 * it, looking at all of its versions (first, replacements, cancellations). Each pass asks the chain what it knows,
 * lets followUpStep decide, and applies that: settle at depth (exactly once, whichever version was mined), record a
 * reorg, send the newest version again, replace a stuck one, or cancel at the nonce what stays in doubt.
 */
import {
  appendAudit,
  commitReservations,
  type DueIntentRow,
  type IntentTransactionRow,
  listDueIntents,
  listIntentTransactions,
  markMinedVersion,
  type NewAuditEntry,
  releaseAllReservations,
  type Sql,
  scheduleIntents,
  settleMined,
  transitionIntent,
  updateIntent,
} from '@bursar/store'
import { checkFailureSignal } from '../breakers/breakerSignals.ts'
import type { ServerContext } from '../context.ts'
import { currentCompiledPolicy } from '../intents/decideIntent.ts'
import { failIntent } from './failIntent.ts'
import { type FollowUpInput, type FollowUpStep, followUpStep, needsKnown } from './followUpStep.ts'
import { mapLimit } from './mapLimit.ts'
import { newestVersion } from './newestVersion.ts'
import { reorgEvidence } from './reorgEvidence.ts'
import { reorgSuspicions } from './reorgSuspicions.ts'
import { resendNewest } from './resendNewest.ts'
import { sendVersion } from './sendVersion.ts'

const concurrency = 16
// Intents looked at per pass, per status.
const batchSize = 500
// How soon an intent still on its way is looked at again.
const lookAgainMs = 500

type Looked = {
  row: DueIntentRow
  step: FollowUpStep
  mined: FollowUpInput['mined']
  newest: { raw: string; hash: string; kind: IntentTransactionRow['kind']; reorged?: boolean }
  versions: IntentTransactionRow[]
  minedSequence: number | undefined
}

export async function confirmBroadcast(ctx: ServerContext): Promise<number> {
  const rows = [
    ...(await listDueIntents(ctx.db, 'broadcast', batchSize)),
    ...(await listDueIntents(ctx.db, 'in_doubt', batchSize)),
  ]
  if (rows.length === 0) return 0
  const versionsOf = new Map<string, IntentTransactionRow[]>()
  for (const version of await listIntentTransactions(
    ctx.db,
    rows.map((row) => row.id),
  )) {
    versionsOf.set(version.intent_id, [...(versionsOf.get(version.intent_id) ?? []), version])
  }
  const heads = new Map<string, bigint>()
  for (const network of new Set(rows.map((row) => row.network))) {
    const entry = ctx.networks.get(network)
    if (!entry) continue
    try {
      heads.set(network, await entry.adapter.getBlockNumber())
    } catch {
      ctx.metrics.rpcErrors.inc({ network })
    }
  }
  // One look at each wallet's mined nonce per pass, however many of its intents wait.
  const sequences = new Map<string, Promise<number>>()
  const minedSequenceOf = (row: DueIntentRow, atBlock: bigint): Promise<number> | undefined => {
    const adapter = ctx.networks.get(row.network)?.adapter
    if (adapter?.minedSequence === undefined || row.nonce === null) return undefined
    const key = `${adapter.chainKey}|${row.wallet_address}|${atBlock}`
    let sequence = sequences.get(key)
    if (sequence === undefined) {
      sequence = adapter.minedSequence(row.wallet_address, atBlock)
      sequences.set(key, sequence)
    }
    return sequence
  }

  const now = new Date()
  const timings = {
    rebroadcastAfterMs: ctx.config.executor.rebroadcastAfterSeconds * 1000,
    replaceAfterMs: ctx.config.executor.replaceAfterSeconds * 1000,
    inDoubtGraceMs: ctx.config.executor.inDoubtGraceSeconds * 1000,
    nonceSettleMs: ctx.config.executor.nonceSettleSeconds * 1000,
  }
  const looked = await mapLimit(rows, concurrency, async (row): Promise<Looked | undefined> => {
    const entry = ctx.networks.get(row.network)
    const head = heads.get(row.network)
    if (!entry || head === undefined || row.tx_hash === null || row.raw_tx === null) return undefined
    const versions = versionsOf.get(row.id) ?? []
    const last = newestVersion(versions)
    const newest = last
      ? { raw: last.raw_tx, hash: last.tx_hash, kind: last.kind, reorged: last.status === 'mined' }
      : undefined
    try {
      const candidates =
        versions.length > 0 ? versions : [{ tx_hash: row.tx_hash, kind: 'original' as const }]
      const receipts = await Promise.all(candidates.map((v) => entry.adapter.getReceipt(v.tx_hash)))
      const index = receipts.findIndex((receipt) => receipt !== null)
      // Found where it is: any earlier miss was a node behind, not a reorg.
      if (index >= 0) reorgSuspicions.clear(row.id)
      const mined =
        index < 0
          ? null
          : { ...receipts[index]!, txHash: candidates[index]!.tx_hash, kind: candidates[index]!.kind }
      const sentAt = row.last_sent_at ?? row.updated_at
      // The nonce as used at the confirmation depth: a transaction of ours only just mined (on a node answering
      // receipts a block behind) must not look like another transaction took the nonce.
      const atDepth = head - BigInt(entry.adapter.network.confirmations) + 1n
      const minedSequence =
        mined === null ? await minedSequenceOf(row, atDepth > 0n ? atDepth : 0n) : undefined
      const input: FollowUpInput = {
        status: row.status as 'broadcast' | 'in_doubt',
        mined,
        head,
        confirmations: entry.adapter.network.confirmations,
        minedSequence,
        nonce: row.nonce,
        known: undefined,
        seenBlockHash: row.block_hash,
        newestKind: newest?.kind ?? 'original',
        sentAt,
        cancelRequested: row.cancel_requested_at !== null,
        nonceUsedSeenAt: row.nonce_used_seen_at,
        halted: row.halted,
        replaceable:
          entry.adapter.replacement !== undefined && row.nonce !== null && row.policy_version !== null,
        refused: {
          count: versions.filter((v) => v.status === 'refused').length,
          latest: versions.at(-1)?.status === 'refused',
        },
        now,
        timings,
      }
      if (mined === null && needsKnown(input)) {
        input.known = await entry.adapter.isKnown(newest?.hash ?? row.tx_hash)
      }
      return {
        row,
        step: followUpStep(input),
        mined,
        newest: newest ?? { raw: row.raw_tx, hash: row.tx_hash, kind: 'original' },
        versions,
        minedSequence,
      }
    } catch {
      ctx.metrics.rpcErrors.inc({ network: row.network })
      return undefined
    }
  })

  const settling = looked.filter((item): item is Looked => item?.step.kind === 'settle')
  await settle(ctx, settling)
  let moved = settling.length
  for (const item of looked) {
    if (item === undefined || item.step.kind === 'settle') continue
    try {
      moved += await act(ctx, item, item.step)
    } catch (error) {
      ctx.logger.warn(
        { intent: item.row.id, step: item.step.kind, err: error },
        'confirmer: step failed, will retry',
      )
    }
  }
  // Look at unfinished ones again shortly, not in a hot loop (acting may have scheduled some later already).
  const waiting = rows.filter((row) => !settling.some((item) => item.row.id === row.id))
  await ctx.db.transaction(async (tx) => {
    for (const status of ['broadcast', 'in_doubt'] as const) {
      await scheduleIntents(
        tx,
        waiting.filter((row) => row.status === status).map((row) => row.id),
        new Date(Date.now() + lookAgainMs),
        { onlyIf: status, onlyLater: true },
      )
    }
  })
  return moved
}

/** Mined at depth: the intent ends, in one transaction for the whole pass (the spend buckets are hot rows). */
async function settle(ctx: ServerContext, items: Looked[]): Promise<void> {
  if (items.length === 0) return
  await ctx.db.transaction(async (tx) => {
    const audit: NewAuditEntry[] = []
    const settled: Array<{ intentId: string; paid: bigint; reverted: boolean }> = []
    for (const { row, step, mined, versions } of items) {
      if (step.kind !== 'settle' || mined === null) continue
      const blockNumber = Number(mined.blockNumber)
      const minedVersion = versions.find((v) => v.tx_hash === mined.txHash)
      const patch = {
        block_number: blockNumber,
        block_hash: mined.blockHash ?? null,
        fee_paid: mined.feePaid.toString(),
        tx_hash: mined.txHash,
        ...(minedVersion ? { raw_tx: minedVersion.raw_tx } : {}),
      }
      const replaced = versions.filter((v) => v.tx_hash !== mined.txHash).map((v) => v.tx_hash)
      const from = ['broadcast', 'in_doubt'] as const
      if (step.outcome === 'confirmed') {
        const moved = await transitionIntent(tx, row.id, from, 'confirmed', { ...patch, error: null })
        if (!moved) continue
        // Whichever way it got here (in doubt, or out again after it), what it reserved is spent.
        await commitReservations(tx, row.id)
        // What the network really charged replaces the ceiling reserved for the fee.
        settled.push({ intentId: row.id, paid: mined.feePaid, reverted: false })
        audit.push({
          actor: { type: 'system', id: null },
          action: 'intent.confirmed',
          subject: { type: 'intent', id: row.id },
          data: {
            tx_hash: mined.txHash,
            block_number: blockNumber,
            fee_paid: mined.feePaid.toString(),
            ...(replaced.length > 0 ? { replaced } : {}),
          },
        })
      } else if (step.outcome === 'cancellation_mined' && row.cancel_requested_at !== null) {
        // The cancellation took the nonce: the value never moved (released), the cancellation's fee is spent.
        const moved = await transitionIntent(tx, row.id, from, 'cancelled', patch, { by: 'cancellation' })
        if (!moved) continue
        settled.push({ intentId: row.id, paid: mined.feePaid, reverted: true })
        audit.push({
          actor: { type: 'system', id: null },
          action: 'intent.cancelled',
          subject: { type: 'intent', id: row.id },
          data: { from: row.status, tx_hash: mined.txHash, fee_paid: mined.feePaid.toString(), replaced },
        })
      } else {
        // Mined but reverted (the fee is spent, the value released), or Bursar's own cancellation of what was in
        // doubt took the nonce: failed with the refusal that put it in doubt.
        const error =
          step.outcome === 'reverted'
            ? { code: 'ONCHAIN_REVERTED', message: 'the transaction was mined but reverted' }
            : (row.error ?? { code: 'BROADCAST_REJECTED', message: 'the transaction was refused' })
        const failed = await failIntent(tx, row.id, from, error, { release: false, patch })
        if (!failed) continue
        settled.push({ intentId: row.id, paid: mined.feePaid, reverted: true })
        await checkFailureSignal(ctx, tx, {
          agentId: row.agent_id,
          policy: await currentCompiledPolicy(ctx, tx, row.agent_id),
        })
      }
      if (versions.length > 0) await markMinedVersion(tx, row.id, mined.txHash)
    }
    ctx.faultPoint?.('before_settle')
    await appendAudit(tx, audit)
    // Last, in one statement: the spend buckets are hot rows that intake writes too.
    await settleMined(tx, settled)
  })
  ctx.metrics.intentTransitions.inc(
    { to: 'confirmed' },
    items.filter((i) => i.mined?.kind !== 'cancel').length,
  )
}

/** Returns 1 when the intent moved (its status changed), 0 otherwise. */
async function act(ctx: ServerContext, item: Looked, step: FollowUpStep): Promise<number> {
  const { row } = item
  switch (step.kind) {
    case 'mined':
      if (step.record && item.mined !== null) {
        await updateIntent(ctx.db, row.id, [row.status], {
          block_number: Number(item.mined.blockNumber),
          block_hash: item.mined.blockHash ?? null,
        })
      }
      return 0
    case 'reorged': {
      // Gone from its block on one look: perhaps a node behind the others. Only evidence (its block replaced),
      // seen again on a later look, says reorg.
      const adapter = ctx.networks.get(row.network)?.adapter
      const evidence =
        adapter !== undefined &&
        (await reorgEvidence(adapter, { blockNumber: row.block_number, blockHash: row.block_hash }, null))
      if (!evidence) {
        reorgSuspicions.clear(row.id)
        return act(ctx, item, step.next)
      }
      if (!reorgSuspicions.confirm(row.id, new Date(), ctx.config.executor.nonceSettleSeconds * 1000))
        return 0
      await ctx.db.transaction(async (tx) => {
        await recordReorg(tx, row)
      })
      ctx.logger.warn(
        { intent: row.id, block: row.block_number },
        'confirmer: transaction reorged out; sending again',
      )
      return act(ctx, { ...item, row: { ...row, block_hash: null, block_number: null } }, step.next)
    }
    case 'nonce_used':
      return nonceUsed(ctx, item, step.record, step.settle)
    case 'resend':
      return resendNewest(ctx, row, item.newest)
    case 'replace':
    case 'cancel':
      return sendVersion(ctx, row, { cancel: step.kind === 'cancel', previousRaw: item.newest.raw })
    case 'wait':
      if (
        row.nonce_used_seen_at !== null &&
        item.minedSequence !== undefined &&
        row.nonce !== null &&
        item.minedSequence <= row.nonce
      ) {
        // The nonce looked used once and no longer does (a node that was ahead, then a reorg): forget the sighting.
        await updateIntent(ctx.db, row.id, [row.status], { nonce_used_seen_at: null })
      }
      return 0
    case 'settle':
      return 0
  }
}

async function recordReorg(tx: Sql, row: DueIntentRow): Promise<void> {
  await updateIntent(tx, row.id, [row.status], { block_number: null, block_hash: null })
  await appendAudit(tx, [
    {
      actor: { type: 'system', id: null },
      action: 'intent.reorged',
      subject: { type: 'intent', id: row.id },
      data: {
        tx_hash: row.tx_hash,
        block_number: row.block_number,
        block_hash: row.block_hash,
        was: row.status,
      },
    },
  ])
}

/**
 * The wallet's nonce is used and none of the intent's versions is mined there. First sighting: remember it. Second,
 * later: nothing of this intent can land any more (the nonce is gone), so it ends and gives back all it reserved.
 */
async function nonceUsed(
  ctx: ServerContext,
  item: Looked,
  record: boolean,
  settle: boolean,
): Promise<number> {
  const { row } = item
  if (!settle) {
    if (record) await updateIntent(ctx.db, row.id, [row.status], { nonce_used_seen_at: new Date() })
    return 0
  }
  return ctx.db.transaction(async (tx) => {
    const from = ['broadcast', 'in_doubt'] as const
    const message = `nonce ${row.nonce} was used by a transaction that is none of this intent's`
    const cancelled = row.cancel_requested_at !== null
    const moved = cancelled
      ? await transitionIntent(
          tx,
          row.id,
          from,
          'cancelled',
          { nonce_used_seen_at: null },
          { by: 'nonce_used' },
        )
      : await failIntent(tx, row.id, from, { code: 'NONCE_USED', message }, { release: false })
    if (!moved) return 0
    const released = await releaseAllReservations(tx, row.id)
    if (item.versions.length > 0) await markMinedVersion(tx, row.id, null)
    if (cancelled) {
      await appendAudit(tx, [
        {
          actor: { type: 'system', id: null },
          action: 'intent.cancelled',
          subject: { type: 'intent', id: row.id },
          data: { from: row.status, reason: message, reservation_released: released > 0 },
        },
      ])
    } else {
      await checkFailureSignal(ctx, tx, {
        agentId: row.agent_id,
        policy: await currentCompiledPolicy(ctx, tx, row.agent_id),
      })
    }
    ctx.logger.warn({ intent: row.id, nonce: row.nonce }, 'confirmer: nonce used elsewhere; intent settled')
    return 1
  })
}
