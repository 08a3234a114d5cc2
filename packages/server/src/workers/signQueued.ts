/**
 * Executor, phase one: claim queued intents (SKIP LOCKED), re-check the authority to sign each one right before
 * signing (agent status, the decision MAC over exactly what will be signed, the policy it was decided under, that it
 * was never signed before), assign nonces under the per-account lock, sign within the reserved fee, and commit the
 * signed raw transactions, all before anything is broadcast.
 */
import type { IntentRequest } from '@bursar/core/api'
import type { JsonValue, SigningInput } from '@bursar/core/chains'
import { isBursarError } from '@bursar/core/errors'
import {
  claimIntents,
  type IntentRow,
  lockNonce,
  markSigned,
  readSigningAuthority,
  retryIntentAt,
  type SigningAuthorityRow,
  type Sql,
  scheduleIntents,
  setNextNonce,
  withSavepoint,
} from '@bursar/store'
import { trip } from '../breakers/breakerSignals.ts'
import type { NetworkEntry, ServerContext } from '../context.ts'
import { decisionProblem } from '../integrity/decisionProblem.ts'
import { signingMac } from '../integrity/signingMac.ts'
import { prepareIntent } from '../intents/prepareIntent.ts'
import { cancelForDeletedAgent } from './cancelForDeletedAgent.ts'
import { failIntent } from './failIntent.ts'

class StaleIntent extends Error {
  constructor(readonly asset: string) {
    super('stale intent')
  }
}

const retryDelayMs = (attempts: number) => Math.min(1000 * 2 ** attempts, 60_000)
// A paused agent's intents wait; they are looked at again this often.
const pausedRecheckMs = 2_000

/** Returns how many intents it moved, so the loop knows whether to look again at once. */
export async function signQueued(ctx: ServerContext): Promise<number> {
  return ctx.db.transaction(async (tx) => {
    const claimed = await claimIntents(tx, { status: 'queued', limit: ctx.config.executor.batchSize })
    if (claimed.length === 0) return 0
    const authority = new Map(
      (
        await readSigningAuthority(
          tx,
          claimed.map((row) => row.id),
        )
      ).map((a) => [a.intent_id, a]),
    )
    const groups = new Map<string, Array<{ row: IntentRow; authority: SigningAuthorityRow }>>()
    let moved = 0
    for (const row of claimed) {
      const verdict = await checkAuthority(ctx, tx, row, authority.get(row.id))
      if (verdict !== 'sign') {
        if (verdict === 'handled') moved++
        continue
      }
      const key = `${row.wallet_id}|${row.network}`
      const group = groups.get(key) ?? []
      group.push({ row, authority: authority.get(row.id)! })
      groups.set(key, group)
    }
    // Wallet order: two executors taking nonce locks in different orders would deadlock each other.
    for (const [, rows] of [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      // One wallet's trouble (fees, keys, a bug) must not stall every other wallet: undo its part and move on.
      try {
        moved += await withSavepoint(tx, 'sign_group', () => signGroup(ctx, tx, rows))
      } catch (error) {
        ctx.logger.warn(
          { wallet: rows[0]!.row.wallet_id, network: rows[0]!.row.network, err: error },
          'executor: signing a batch failed, will retry',
        )
        await postpone(
          tx,
          rows.map(({ row }) => row),
        )
      }
    }
    return moved
  })
}

/**
 * Whether `row` may be signed now: 'sign'; 'wait' (paused agent: it stays queued); 'handled' (cancelled or failed
 * here). A row whose MAC does not verify, whose policy changed, or that was signed before is refused for good and
 * freezes the agent: that is someone writing to the database, not an agent asking.
 */
async function checkAuthority(
  ctx: ServerContext,
  tx: Sql,
  row: IntentRow,
  authority: SigningAuthorityRow | undefined,
): Promise<'sign' | 'wait' | 'handled'> {
  if (authority === undefined) return 'wait'
  if (authority.agent_status === 'deleted') {
    await cancelForDeletedAgent(tx, row)
    return 'handled'
  }
  if (authority.agent_status === 'paused') {
    await scheduleIntents(tx, [row.id], new Date(Date.now() + pausedRecheckMs))
    return 'wait'
  }
  const entry = ctx.networks.get(row.network)
  const problem = entry === undefined ? undefined : authorityProblem(ctx, row, authority, entry)
  if (
    problem === undefined &&
    row.decision_expires_at !== null &&
    row.decision_expires_at.getTime() <= Date.now()
  ) {
    // A genuine decision that waited too long (an outage, a stuck wallet): it authorises nothing any more.
    await failIntent(tx, row.id, ['queued'], {
      code: 'DECISION_EXPIRED',
      message: `the decision authorised signing until ${row.decision_expires_at.toISOString()}; submit the intent again`,
    })
    return 'handled'
  }
  if (problem === undefined) return 'sign'
  await failIntent(tx, row.id, ['queued'], { code: 'DECISION_INVALID', message: problem })
  await trip(ctx, tx, {
    agentId: row.agent_id,
    signal: 'decision_invalid',
    reason: `intent ${row.id}: ${problem}`,
    actor: { type: 'system', id: null },
  })
  ctx.logger.error(
    { intent: row.id, agent: row.agent_id, problem },
    'executor: refused to sign a queued intent',
  )
  return 'handled'
}

function authorityProblem(
  ctx: ServerContext,
  row: IntentRow,
  authority: SigningAuthorityRow,
  entry: NetworkEntry,
): string | undefined {
  if (authority.ended_as !== null) {
    return `the audit log records it as ${authority.ended_as.slice('intent.'.length)} already (a row set back to queued)`
  }
  if (authority.reservations_settled)
    return 'its reservations were settled already (a row set back to queued)'
  return decisionProblem(ctx, row, authority, entry)
}

async function postpone(tx: Sql, rows: IntentRow[]): Promise<void> {
  for (const row of rows) {
    await retryIntentAt(tx, row.id, new Date(Date.now() + retryDelayMs(row.attempts)))
  }
}

type Ready = { row: IntentRow; build(sequence: number): SigningInput }

async function signGroup(
  ctx: ServerContext,
  tx: Sql,
  rows: Array<{ row: IntentRow; authority: SigningAuthorityRow }>,
): Promise<number> {
  const first = rows[0]!
  const entry = ctx.networks.get(first.row.network)
  if (!entry) {
    for (const { row } of rows) {
      await failIntent(tx, row.id, ['queued'], {
        code: 'NETWORK_UNAVAILABLE',
        message: `network ${row.network} is no longer configured`,
      })
    }
    return rows.length
  }
  const { adapter, signers } = entry
  const address = first.authority.wallet_address
  const sequenceKey = { chain: adapter.chainKey, address }
  let sequence = 0
  const ready: Ready[] = []
  const waiting: IntentRow[] = []
  try {
    // Never sign for a chain the RPC does not serve (an RPC that was down at start is checked here first).
    await entry.ensureChain()
    if (adapter.sequenced) {
      sequence = await lockNonce(
        tx,
        { ...sequenceKey, walletId: first.row.wallet_id, networks: entry.sameChain },
        () => adapter.nextSequence(address),
      )
    }
    // Re-check against the chain in parallel: the RPC round trips dominate, and each intent is independent.
    const checks = await Promise.allSettled(
      rows.map(async ({ row }) => {
        const request = row.request as IntentRequest
        // A transfer by token symbol: sign it only while today's configuration still names the decided asset.
        if (request.type === 'transfer') {
          const today = prepareIntent(ctx, row.agent_id, request).effective.submitted.asset
          if (today !== row.asset) throw new StaleIntent(today)
        }
        return adapter.readyToSign({ from: address, tx: row.tx as JsonValue, maxFee: BigInt(row.max_fee!) })
      }),
    )
    for (const [i, result] of checks.entries()) {
      const { row } = rows[i]!
      if (result.status === 'fulfilled') {
        // Within its reserved fee it cannot be included now: it waits for cheaper blocks rather than be refused.
        if ('wait' in result.value) waiting.push(row)
        else ready.push({ row, build: result.value.build })
        continue
      }
      const error = result.reason
      if (error instanceof StaleIntent) {
        await failIntent(tx, row.id, ['queued'], {
          code: 'INTENT_STALE',
          message: `the network configuration changed: this transfer would now move ${error.asset}, not ${row.asset}`,
        })
      } else if (isBursarError(error) && error.code !== 'RPC_UNAVAILABLE') {
        await failIntent(tx, row.id, ['queued'], { code: error.code, message: error.message })
      } else {
        throw error
      }
    }
  } catch (error) {
    ctx.metrics.rpcErrors.inc({ network: first.row.network })
    ctx.logger.warn({ network: first.row.network, err: error }, 'executor: RPC unavailable, will retry')
    await postpone(
      tx,
      rows.map(({ row }) => row),
    )
    return 0
  }
  if (waiting.length > 0) {
    ctx.logger.info(
      { network: first.row.network, intents: waiting.length },
      'executor: fees above the reserved ceiling; waiting',
    )
    await postpone(tx, waiting)
  }
  if (ready.length === 0) return rows.length - waiting.length
  const path = adapter.derivationPath(first.authority.derivation_index)
  const signed = await signers.withSigner(adapter.curve, path, async (signer) => {
    const out: Array<{ row: IntentRow; sequence: number | null; raw: string; txId: string }> = []
    for (const item of ready) {
      const input = item.build(sequence)
      const { raw, txId } = adapter.attachSignature(input, await signer.sign(input.payload))
      out.push({ row: item.row, sequence: adapter.sequenced ? sequence : null, raw, txId })
      sequence++
    }
    return out
  })
  // A cancellation waits on our row locks, so every claimed row is still queued here.
  await markSigned(
    tx,
    signed.map((item) => ({
      id: item.row.id,
      nonce: item.sequence,
      rawTx: item.raw,
      txHash: item.txId,
      network: item.row.network,
      signingMac: signingMac(ctx.keystore, {
        intentId: item.row.id,
        walletId: item.row.wallet_id,
        derivationIndex: first.authority.derivation_index,
        chainKey: adapter.chainKey,
        nonce: item.sequence,
        firstTxHash: item.txId,
      }),
    })),
  )
  if (adapter.sequenced) await setNextNonce(tx, sequenceKey, sequence)
  ctx.metrics.intentTransitions.inc({ to: 'signed' }, signed.length)
  return rows.length - waiting.length
}
