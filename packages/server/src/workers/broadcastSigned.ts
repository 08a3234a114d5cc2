/**
 * Executor, phase two: broadcast signed transactions. It is also the crash recovery path: anything signed but
 * not known to be broadcast (a process died between commit and send) is simply sent again; sending is idempotent.
 */
import { isBursarError } from '@bursar/core/errors'
import { type IntentRow, markBroadcast, setNextNonce } from '@bursar/store'
import { checkFailureSignal } from '../breakers/breakerSignals.ts'
import type { ServerContext } from '../context.ts'
import { currentCompiledPolicy } from '../intents/decideIntent.ts'
import { failIntent } from './failIntent.ts'
import { fillNonceGap } from './fillNonceGap.ts'

// Long enough that a live executor finishes sending before another process retries the same rows.
const leaseMs = 30_000

export async function broadcastSigned(ctx: ServerContext): Promise<number> {
  // Claim with a lease: another executor skips these rows until the lease runs out.
  const claimed = await ctx.db.transaction(async (tx) => {
    const rows = await tx.query<IntentRow>(
      `select * from intents i where status = 'signed' and next_attempt_at <= now()
          and not exists (select 1 from breakers b where b.tripped and b.scope_key in ('global', i.agent_id))
        order by wallet_id, network, nonce limit $1 for update skip locked`,
      [ctx.config.executor.batchSize * 2],
    )
    if (rows.length > 0) {
      await tx.query(`update intents set next_attempt_at = $2 where id = any($1::text[])`, [
        rows.map((row) => row.id),
        new Date(Date.now() + leaseMs),
      ])
    }
    return rows
  })
  if (claimed.length === 0) return 0

  const sent: IntentRow[] = []
  const retry: Array<{ row: IntentRow; error: unknown }> = []
  const rejected: Array<{ row: IntentRow; code: string; message: string }> = []
  // In nonce order within a wallet (nodes hold later nonces until the gap fills anyway); wallets in parallel.
  const byWallet = new Map<string, IntentRow[]>()
  for (const row of claimed) {
    const key = `${row.wallet_id}|${row.network}`
    byWallet.set(key, [...(byWallet.get(key) ?? []), row])
  }
  await Promise.all(
    [...byWallet.values()].map(async (rows) => {
      for (const row of rows) {
        const entry = ctx.networks.get(row.network)
        if (!entry) {
          retry.push({ row, error: new Error('network not configured') })
          continue
        }
        try {
          await entry.adapter.broadcast(row.raw_tx as `0x${string}`)
          sent.push(row)
        } catch (error) {
          if (isBursarError(error) && error.details.retryable === false) {
            rejected.push({ row, code: 'BROADCAST_REJECTED', message: error.message })
          } else {
            ctx.metrics.rpcErrors.inc({ network: row.network })
            retry.push({ row, error })
          }
        }
      }
    }),
  )

  await ctx.db.transaction(async (tx) => {
    await markBroadcast(tx, sent)
    for (const { row } of retry) {
      const delay = Math.min(1000 * 2 ** row.attempts, 60_000)
      await tx.query('update intents set attempts = attempts + 1, next_attempt_at = $2 where id = $1', [
        row.id,
        new Date(Date.now() + delay),
      ])
    }
    for (const { row, code, message } of rejected) {
      await failIntent(tx, row.id, ['signed'], { code, message }, { release: true })
      await checkFailureSignal(ctx, tx, {
        agentId: row.agent_id,
        policy: await currentCompiledPolicy(tx, row.agent_id),
      })
      // Give the nonce back when it was the last one handed out, so the wallet does not stall on a gap.
      const [counter] = await tx.query<{ next_nonce: number }>(
        'select next_nonce from wallet_nonces where wallet_id = $1 and network = $2 for update',
        [row.wallet_id, row.network],
      )
      if (counter && row.nonce !== null && counter.next_nonce === row.nonce + 1) {
        await setNextNonce(tx, row.wallet_id, row.network, row.nonce)
      } else {
        await fillNonceGap(ctx, tx, row)
      }
    }
  })
  ctx.metrics.intentTransitions.inc({ to: 'broadcast' }, sent.length)
  return claimed.length
}
