/**
 * Signs a new version of an intent's transaction at its nonce and sends it: a replacement with higher fees for one
 * stuck in the mempool, or a cancellation (the family's transaction that moves nothing) for one that must not land.
 * The signed bytes are recorded before they are sent, like the first version's, so a crash in between loses nothing:
 * the next pass finds the node does not know the newest version and sends it.
 */
import { isBursarError } from '@bursar/core/errors'
import {
  addIntentTransaction,
  appendAudit,
  type DueIntentRow,
  getIntent,
  listIntentTransactions,
  markVersionRefused,
  readSigningAuthority,
  readVersionAuthority,
  tryLockIntents,
  updateIntent,
} from '@bursar/store'
import { trip } from '../breakers/breakerSignals.ts'
import type { ServerContext } from '../context.ts'
import { decisionProblem } from '../integrity/decisionProblem.ts'
import { isSigningMacValid } from '../integrity/signingMac.ts'
import { newestVersion } from './newestVersion.ts'

/** Returns 1 when the intent's status changed (never: a new version leaves it where it is). */
export async function sendVersion(
  ctx: ServerContext,
  row: DueIntentRow,
  options: { cancel: boolean; previousRaw: string },
): Promise<number> {
  const entry = ctx.networks.get(row.network)
  const replacement = entry?.adapter.replacement
  if (!entry || replacement === undefined || row.nonce === null) return 0
  const { adapter, signers } = entry
  const kind = options.cancel ? 'cancel' : 'replacement'
  const signed = await ctx.db.transaction(async (tx) => {
    // Two followers looking at one intent: one numbers and signs the version, the other skips it this pass.
    if (!(await tryLockIntents(tx, [row.id])).has(row.id)) return undefined
    const current = await getIntent(tx, row.id)
    if (!current || (current.status !== 'broadcast' && current.status !== 'in_doubt')) return undefined
    const versions = await listIntentTransactions(tx, [row.id])
    const newest = newestVersion(versions)?.raw_tx ?? current.raw_tx
    if (newest !== options.previousRaw) return undefined
    const [authority] = await readSigningAuthority(tx, [row.id])
    const audited = await readVersionAuthority(tx, row.id)
    // The first transaction's hash: version 0 once there are versions, the row's own until then.
    const firstTxHash = versions.find((v) => v.version === 0)?.tx_hash ?? current.tx_hash
    const bound =
      authority !== undefined &&
      firstTxHash !== null &&
      isSigningMacValid(
        ctx.keystore,
        {
          intentId: row.id,
          walletId: current.wallet_id,
          derivationIndex: authority.derivation_index,
          chainKey: adapter.chainKey,
          nonce: current.nonce,
          firstTxHash,
        },
        current.signing_mac,
      )
    const problem =
      authority === undefined
        ? 'its agent or wallet is gone'
        : !bound
          ? 'its signing MAC does not match its wallet, chain, nonce and first transaction (or it was signed before signing MACs)'
          : audited.signed_nonce === null || audited.signed_nonce !== current.nonce
            ? `its nonce ${current.nonce} is not the one the audit log records it signed at (${audited.signed_nonce})`
            : audited.ended_as !== null
              ? `the audit log records it as ${audited.ended_as.slice('intent.'.length)} already`
              : // A cancellation moves nothing: it needs no decision, only the nonce and a fee the network allows.
                options.cancel
                ? undefined
                : decisionProblem(ctx, current, authority, entry)
    if (problem !== undefined || authority === undefined || current.nonce === null) {
      // Not failed: its transaction is out and may land. Nothing more is signed for it, and its agent stops.
      await trip(ctx, tx, {
        agentId: row.agent_id,
        signal: 'decision_invalid',
        reason: `intent ${row.id}: refusing to sign a ${kind}: ${problem}`,
        actor: { type: 'system', id: null },
      })
      ctx.logger.error({ intent: row.id, problem }, `confirmer: refused to sign a ${kind}`)
      return undefined
    }
    // What was reserved for its fee, as decided; a cancellation whose decision does not verify is held to the
    // network's default cap, so a rewritten max_fee cannot make it burn more.
    const reserved = BigInt(current.max_fee ?? '0')
    const decided = decisionProblem(ctx, current, authority, entry) === undefined
    const maxFee = decided || reserved < adapter.defaultFeeCap ? reserved : adapter.defaultFeeCap
    const ready = await replacement({
      from: authority.wallet_address,
      tx: current.tx as never,
      maxFee,
      sequence: current.nonce,
      previousRaw: options.previousRaw,
      cancel: options.cancel,
    })
    if ('wait' in ready) {
      // At the fee ceiling: the transaction stays as it is; asked again one replacement interval from now.
      await updateIntent(tx, row.id, [current.status], { last_sent_at: new Date() })
      ctx.logger.info({ intent: row.id, why: ready.wait }, `confirmer: no ${kind} within the reserved fee`)
      return undefined
    }
    const { raw, txId } = await signers.withSigner(
      adapter.curve,
      adapter.derivationPath(authority.derivation_index),
      async (signer) => adapter.attachSignature(ready.input, await signer.sign(ready.input.payload)),
    )
    const version = await addIntentTransaction(tx, {
      intentId: row.id,
      kind,
      nonce: current.nonce,
      rawTx: raw,
      txHash: txId,
    })
    if (version === undefined) {
      // The same bytes as a version already out (nothing changed in the fee market): wait a replacement interval.
      await updateIntent(tx, row.id, [current.status], { last_sent_at: new Date() })
      return undefined
    }
    await appendAudit(tx, [
      {
        actor: { type: 'system', id: null },
        action: options.cancel ? 'intent.cancellation_signed' : 'intent.replacement_signed',
        subject: { type: 'intent', id: row.id },
        data: { version: version.version, tx_hash: txId, nonce: current.nonce },
      },
    ])
    return { raw, txId }
  })
  if (signed === undefined) return 0
  ctx.faultPoint?.('after_version_signed')
  try {
    await adapter.broadcast(signed.raw)
    await updateIntent(ctx.db, row.id, [row.status], { last_sent_at: new Date() })
  } catch (error) {
    if (!isBursarError(error) || error.details.retryable !== false) {
      // Recorded already: the next pass sends it when the node does not know it.
      ctx.metrics.rpcErrors.inc({ network: row.network })
      return 0
    }
    const reason = String(error.details.reason ?? 'rejected')
    ctx.logger.warn({ intent: row.id, kind, reason }, `confirmer: the ${kind} was refused`)
    // Refused: never sent again, and never a reason to doubt the versions before it (still looked for on chain).
    await markVersionRefused(ctx.db, row.id, signed.txId)
    await updateIntent(ctx.db, row.id, [row.status], { last_sent_at: new Date() })
    // A cancellation the wallet cannot pay for leaves the nonce unusable: later transactions wait behind it. The
    // agent stops until someone funds the wallet and resets it. (Nonce too low: the original won the race; the next
    // look settles it.)
    if (options.cancel && (reason === 'insufficient_funds' || reason === 'intrinsic_gas_too_low')) {
      await ctx.db.transaction((tx) =>
        trip(ctx, tx, {
          agentId: row.agent_id,
          signal: 'nonce_gap',
          reason: `intent ${row.id}: the cancellation at nonce ${row.nonce} was refused (${reason}); later transactions wait behind it`,
          actor: { type: 'system', id: null },
        }),
      )
    }
  }
  return 0
}
