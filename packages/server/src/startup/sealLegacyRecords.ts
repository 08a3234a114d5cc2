/**
 * Once per database, when the operator asks (or in dev, in the process that applied the migration): what an older
 * Bursar wrote (policy versions, undecided or queued intents, the audit head) is sealed as it stands. This is trust on
 * upgrade, so it is narrow: only rows the audit log shows an older Bursar wrote (entries without the hashes and fee
 * ceilings recorded since), and never again once an `upgrade.sealed` entry exists — a flag left set does not bless
 * rows forged later.
 */
import type { IntentRequest } from '@bursar/core/api'
import { canonicalHash } from '@bursar/core/audit'
import {
  appendAudit,
  getWallet,
  listLegacyPolicies,
  listLegacyWaitingIntents,
  sealIntentDecision,
  sealPolicyVersion,
  signAuditHead,
  wasSealedOnUpgrade,
} from '@bursar/store'
import type { ServerContext } from '../context.ts'
import { decisionMac } from '../integrity/decisionMac.ts'
import { policyMac } from '../integrity/policyMac.ts'
import { prepareIntent } from '../intents/prepareIntent.ts'

export const sealingMigration = '004_money_path.sql'

export async function sealLegacyRecords(ctx: ServerContext): Promise<void> {
  if (await wasSealedOnUpgrade(ctx.db)) {
    ctx.logger.error(
      'BURSAR_SEAL_EXISTING ignored: this database was sealed on upgrade already; rows without a seal now were not written by Bursar and stay refused (unset the variable)',
    )
    return
  }
  const policies = await listLegacyPolicies(ctx.db)
  const hashes = new Map<string, string>()
  let sealedIntents = 0
  await ctx.db.transaction(async (tx) => {
    for (const policy of policies) {
      const documentHash = canonicalHash(policy.document)
      hashes.set(`${policy.agent_id}:${policy.version}`, documentHash)
      await sealPolicyVersion(tx, {
        agentId: policy.agent_id,
        version: policy.version,
        documentHash,
        mac: policyMac(ctx.keystore, policy.agent_id, policy.version, documentHash),
      })
      await appendAudit(tx, [
        {
          actor: { type: 'system', id: null },
          action: 'policy.sealed',
          subject: { type: 'agent', id: policy.agent_id },
          data: { version: policy.version, document_hash: documentHash, reason: 'upgrade' },
        },
      ])
    }
    const waiting = await listLegacyWaitingIntents(tx)
    for (const row of waiting) {
      const entry = ctx.networks.get(row.network)
      const wallet = await getWallet(tx, row.wallet_id)
      const policyHash =
        row.policy_version === null ? undefined : hashes.get(`${row.agent_id}:${row.policy_version}`)
      if (!entry || !wallet || row.policy_version === null || policyHash === undefined) continue
      const prepared = prepareIntent(ctx, row.agent_id, row.request as IntentRequest)
      // Decided before fees were reserved: bounded by the network's default cap from now on.
      const maxFee = entry.adapter.defaultFeeCap.toString()
      const expiresAt = new Date(Date.now() + ctx.config.executor.decisionTtlSeconds * 1000)
      const mac = decisionMac(ctx.keystore, {
        outcome: row.status === 'queued' || row.status === 'approved' ? 'allow' : 'require_approval',
        notAfter: expiresAt.toISOString(),
        intentId: row.id,
        agentId: row.agent_id,
        walletId: row.wallet_id,
        derivationIndex: wallet.derivation_index,
        network: row.network,
        chainKey: entry.adapter.chainKey,
        tx: prepared.tx,
        maxFee,
        policyVersion: row.policy_version,
        policyHash,
      })
      await sealIntentDecision(tx, { intentId: row.id, tx: prepared.tx, maxFee, mac, expiresAt })
      sealedIntents++
    }
    await appendAudit(tx, [
      {
        actor: { type: 'system', id: null },
        action: 'upgrade.sealed',
        subject: { type: 'system', id: null },
        data: { policies: policies.length, intents: sealedIntents },
      },
    ])
  })
  await signAuditHead(ctx.db, {
    publicKey: ctx.keystore.auditPublicKey,
    sign: (m) => ctx.keystore.signAudit(m),
  })
  // A fresh database has nothing to trust on upgrade; say so only when something was.
  if (policies.length > 0 || sealedIntents > 0) {
    ctx.logger.warn(
      { policies: policies.length, intents: sealedIntents },
      'upgrade: sealed existing policy versions, queued intents and the audit head as they stand',
    )
  }
}
