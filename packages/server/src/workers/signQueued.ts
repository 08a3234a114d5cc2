/**
 * Executor, phase one: claim queued intents (SKIP LOCKED), assign nonces under the per-wallet lock, sign,
 * and commit the signed raw transactions, all before anything is broadcast.
 */

import type { IntentRequest } from '@bursar/core/api'
import { isBursarError } from '@bursar/core/errors'
import {
  claimIntents,
  getWallet,
  type IntentRow,
  lockNonce,
  markSigned,
  type Sql,
  setNextNonce,
} from '@bursar/store'
import type { TransactionSerializableEIP1559 } from 'viem'
import { keccak256 } from 'viem'
import type { ServerContext } from '../context.ts'
import { resolveIntent } from '../intents/resolveIntent.ts'
import { failIntent } from './failIntent.ts'

class StaleIntent extends Error {
  constructor(readonly asset: string) {
    super('stale intent')
  }
}

const retryDelayMs = (attempts: number) => Math.min(1000 * 2 ** attempts, 60_000)

/** Returns how many intents it moved, so the loop knows whether to look again at once. */
export async function signQueued(ctx: ServerContext): Promise<number> {
  return ctx.db.transaction(async (tx) => {
    const claimed = await claimIntents(tx, 'queued', ctx.config.executor.batchSize)
    if (claimed.length === 0) return 0
    const groups = new Map<string, IntentRow[]>()
    for (const row of claimed) {
      const key = `${row.wallet_id}|${row.network}`
      const group = groups.get(key)
      if (group) group.push(row)
      else groups.set(key, [row])
    }
    let moved = 0
    // Wallet order: two executors taking nonce locks in different orders would deadlock each other.
    for (const [, rows] of [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      // One wallet's trouble (fees, keys, a bug) must not stall every other wallet: undo its part and move on.
      await tx.query('savepoint sign_group')
      try {
        moved += await signGroup(ctx, tx, rows)
        await tx.query('release savepoint sign_group')
      } catch (error) {
        await tx.query('rollback to savepoint sign_group')
        ctx.logger.warn(
          { wallet: rows[0]!.wallet_id, network: rows[0]!.network, err: error },
          'executor: signing a batch failed, will retry',
        )
        await postpone(tx, rows)
      }
    }
    return moved
  })
}

async function postpone(tx: Sql, rows: IntentRow[]): Promise<void> {
  for (const row of rows) {
    await tx.query('update intents set attempts = attempts + 1, next_attempt_at = $2 where id = $1', [
      row.id,
      new Date(Date.now() + retryDelayMs(row.attempts)),
    ])
  }
}

async function signGroup(ctx: ServerContext, tx: Sql, rows: IntentRow[]): Promise<number> {
  const first = rows[0]!
  const wallet = await getWallet(tx, first.wallet_id)
  const entry = ctx.networks.get(first.network)
  if (!wallet || !entry) {
    for (const row of rows) {
      await failIntent(tx, row.id, ['queued'], {
        code: 'NETWORK_UNAVAILABLE',
        message: `network ${row.network} is no longer configured`,
      })
    }
    return rows.length
  }
  const { adapter } = entry
  const address = wallet.address as `0x${string}`
  let nonce: number
  let fees: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }
  const prepared: Array<{
    row: IntentRow
    gas: bigint
    to: `0x${string}`
    value: bigint
    data?: `0x${string}`
  }> = []
  try {
    nonce = await lockNonce(tx, wallet.id, first.network, () =>
      adapter.getTransactionCount(address, 'pending'),
    )
    fees = await adapter.estimateFees()
    // Simulate in parallel: the RPC round trips dominate, and each intent's call is independent.
    const simulations = await Promise.allSettled(
      rows.map(async (row) => {
        const request = row.request as IntentRequest
        const resolved = resolveIntent(ctx, request)
        // A transfer is rebuilt from today's token configuration: sign it only if it still moves what was decided.
        if (request.type === 'transfer' && resolved.asset !== row.asset) throw new StaleIntent(resolved.asset)
        const { gas } = await adapter.simulate({ from: address, ...resolved.tx })
        return { row, gas, ...resolved.tx }
      }),
    )
    for (const [i, result] of simulations.entries()) {
      const row = rows[i]!
      if (result.status === 'fulfilled') {
        prepared.push(result.value)
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
    ctx.metrics.rpcErrors.inc({ network: first.network })
    ctx.logger.warn({ network: first.network, err: error }, 'executor: RPC unavailable, will retry')
    await postpone(tx, rows)
    return 0
  }
  if (prepared.length === 0) return rows.length
  const signed = await ctx.keystore.withEvmKeys(wallet.derivation_index, async (signer) => {
    const out: Array<{ row: IntentRow; nonce: number; raw: `0x${string}` }> = []
    for (const item of prepared) {
      const transaction: TransactionSerializableEIP1559 = adapter.buildTransaction({
        to: item.to,
        value: item.value,
        ...(item.data === undefined ? {} : { data: item.data }),
        nonce,
        gas: item.gas,
        ...fees,
      })
      out.push({ row: item.row, nonce, raw: await signer.signTransaction(transaction) })
      nonce++
    }
    return out
  })
  // A cancellation waits on our row locks, so every claimed row is still queued here.
  await markSigned(
    tx,
    signed.map((item) => ({
      id: item.row.id,
      nonce: item.nonce,
      rawTx: item.raw,
      txHash: keccak256(item.raw),
      network: item.row.network,
    })),
  )
  await setNextNonce(tx, wallet.id, first.network, nonce)
  ctx.metrics.intentTransitions.inc({ to: 'signed' }, signed.length)
  return rows.length
}
