/**
 * When a signed transaction is refused for good but later nonces of the wallet are already out, those later
 * transactions can never be mined until the nonce is used. Bursar then signs a zero-value transfer to the wallet
 * itself at that nonce and tracks it as an ordinary intent (visible, audited, broadcast and confirmed like any
 * other). A filler that is itself refused is not refilled: the agent's breaker trips, because the wallet is stuck.
 */
import { getWallet, type IntentRow, insertDecidedIntent, newId, type Sql } from '@bursar/store'
import { keccak256 } from 'viem'
import { trip } from '../breakers/breakerSignals.ts'
import type { ServerContext } from '../context.ts'
import { withinFeeCeiling } from './withinFeeCeiling.ts'

export const nonceFillerMemo = 'bursar nonce filler'

export async function fillNonceGap(ctx: ServerContext, tx: Sql, failed: IntentRow): Promise<void> {
  const entry = ctx.networks.get(failed.network)
  const wallet = await getWallet(tx, failed.wallet_id)
  const isFiller = (failed.request as { memo?: string }).memo?.startsWith(nonceFillerMemo) ?? false
  if (!entry || !wallet || failed.nonce === null || isFiller) {
    await trip(ctx, tx, {
      agentId: failed.agent_id,
      signal: 'nonce_gap',
      reason: `nonce ${failed.nonce} of wallet ${failed.wallet_id} on ${failed.network} cannot be filled; later transactions are stuck`,
      actor: { type: 'system', id: null },
    })
    return
  }
  const address = wallet.address as `0x${string}`
  // Outside any policy (nothing moves), so held to the network's default fee cap like a policy without its own.
  const fees = withinFeeCeiling(
    { gas: 21_000n, row: { gas_limit: 21_000 }, maxFee: entry.defaultFeeCap },
    await entry.adapter.estimateFees(),
  )
  const raw = await ctx.keystore.withEvmKeys(wallet.derivation_index, (signer) =>
    signer.signTransaction(
      entry.adapter.buildTransaction({ to: address, value: 0n, nonce: failed.nonce!, ...fees }),
    ),
  )
  const id = newId('int')
  const request = {
    type: 'transfer',
    network: failed.network,
    to: address,
    amount: '0',
    memo: `${nonceFillerMemo} for ${failed.id}`,
  }
  await insertDecidedIntent(
    tx,
    {
      id,
      agentId: failed.agent_id,
      walletId: failed.wallet_id,
      network: failed.network,
      status: 'signed',
      request,
      requestHash: keccak256(raw).slice(2),
      idempotencyKey: null,
      asset: `${failed.network}:native`,
      amount: '0',
      recipient: address,
      recipients: [address.toLowerCase()],
      decision: null,
      policyVersion: null,
      error: null,
    },
    {
      events: [
        { from: null, to: 'received' },
        { from: 'received', to: 'signed' },
      ],
      reservations: [],
      audit: [
        {
          actor: { type: 'system', id: null },
          action: 'intent.nonce_filler',
          data: { fills_for: failed.id, nonce: failed.nonce, tx_hash: keccak256(raw) },
        },
      ],
    },
  )
  await tx.query(
    'update intents set nonce = $2, raw_tx = $3, tx_hash = $4, next_attempt_at = now() where id = $1',
    [id, failed.nonce, raw, keccak256(raw)],
  )
  ctx.logger.warn(
    { intent: failed.id, nonce: failed.nonce, filler: id },
    'broadcast rejected mid-sequence: nonce filled',
  )
}
