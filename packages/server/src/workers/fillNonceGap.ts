/**
 * When a signed transaction is refused for good but later sequence numbers of the wallet are already out, those
 * later transactions can never be mined until the number is used. Bursar then signs the family's transaction that
 * moves nothing (EVM: a zero-value transfer to the wallet itself) at that number and tracks it as an ordinary intent
 * (visible, audited, broadcast and confirmed like any other). A filler that is itself refused is not refilled: the
 * agent's breaker trips, because the wallet is stuck.
 */
import { createHash } from 'node:crypto'
import { getWallet, type IntentRow, insertDecidedIntent, newId, type Sql } from '@bursar/store'
import { trip } from '../breakers/breakerSignals.ts'
import type { ServerContext } from '../context.ts'

const nonceFillerMemo = 'bursar nonce filler'

export async function fillNonceGap(ctx: ServerContext, tx: Sql, failed: IntentRow): Promise<void> {
  const entry = ctx.networks.get(failed.network)
  const wallet = await getWallet(tx, failed.wallet_id)
  const isFiller = failed.fills_for !== null
  const noop = entry && wallet ? entry.adapter.noopTransaction(wallet.address) : undefined
  if (!entry || !wallet || failed.nonce === null || isFiller || noop === undefined) {
    await trip(ctx, tx, {
      agentId: failed.agent_id,
      signal: 'nonce_gap',
      reason: `nonce ${failed.nonce} of wallet ${failed.wallet_id} on ${failed.network} cannot be filled; later transactions are stuck`,
      actor: { type: 'system', id: null },
    })
    return
  }
  const { adapter, signers } = entry
  const address = wallet.address
  // Outside any policy (nothing moves), so held to the network's default fee cap like a policy without its own.
  const ready = await adapter.readyToSign({ from: address, tx: noop, maxFee: adapter.defaultFeeCap })
  if ('wait' in ready) throw new Error(`the nonce filler cannot be priced now: ${ready.wait}`)
  const input = ready.build(failed.nonce)
  const { raw, txId } = await signers.withSigner(
    adapter.curve,
    adapter.derivationPath(wallet.derivation_index),
    async (signer) => adapter.attachSignature(input, await signer.sign(input.payload)),
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
      requestHash: createHash('sha256').update(raw).digest('hex'),
      idempotencyKey: null,
      asset: `${failed.network}:native`,
      amount: '0',
      recipient: adapter.formatAddress(address),
      recipients: [address.toLowerCase()],
      decision: null,
      policyVersion: null,
      error: null,
      fillsFor: failed.id,
      signed: { nonce: failed.nonce, rawTx: raw, txHash: txId },
    },
    {
      events: [
        { from: null, to: 'received' },
        { from: 'received', to: 'signed' },
      ],
      // Nothing moves, but the fee is the agent's spend like any other: reserved at the cap, trued up when mined.
      reservations: [
        { asset: `${failed.network}:native`, amount: adapter.defaultFeeCap.toString(), kind: 'fee' },
      ],
      audit: [
        {
          actor: { type: 'system', id: null },
          action: 'intent.nonce_filler',
          data: { fills_for: failed.id, nonce: failed.nonce, tx_hash: txId },
        },
      ],
    },
  )
  ctx.logger.warn(
    { intent: failed.id, nonce: failed.nonce, filler: id },
    'broadcast rejected mid-sequence: nonce filled',
  )
}
