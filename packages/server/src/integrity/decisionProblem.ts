/**
 * Whether an intent's stored decision still authorises signing what it carries: decided under a policy version that
 * verifies and was the newest, recorded in the audit log, and MACed over exactly its transaction and fee ceiling.
 * The executor asks before the first signature; the follower asks again before signing a replacement or a
 * cancellation, so a row changed after broadcast cannot redirect the payment or burn more fee than was reserved.
 */
import type { IntentRow, SigningAuthorityRow } from '@bursar/store'
import type { NetworkEntry, ServerContext } from '../context.ts'
import { isDecisionMacValid } from './decisionMac.ts'
import { checkPolicyVersion } from './policyMac.ts'

/** Undefined when the decision holds; otherwise what is wrong with it, in words for the log and the error. */
export function decisionProblem(
  ctx: ServerContext,
  row: IntentRow,
  authority: SigningAuthorityRow,
  entry: NetworkEntry,
): string | undefined {
  if (row.policy_version === null || authority.policy_document === null) return 'it has no policy decision'
  if (!authority.decision_recorded) return 'the audit log holds no decision for it'
  if (authority.policy_version_recorded !== null && authority.policy_version_recorded > row.policy_version) {
    return `it was decided under policy version ${row.policy_version}, but version ${authority.policy_version_recorded} was in force (a newer policy deleted)`
  }
  const policyHash = checkPolicyVersion(ctx.keystore, {
    agent_id: row.agent_id,
    version: row.policy_version,
    document: authority.policy_document,
    document_hash: authority.policy_document_hash,
    mac: authority.policy_mac,
  })
  if (policyHash === undefined) return `policy version ${row.policy_version} was changed outside Bursar`
  if (row.tx === null || row.max_fee === null || row.decision_expires_at === null) {
    return 'it carries no decided transaction'
  }
  // Only an allowed decision is signing authority: a request waiting for approval set to queued is not.
  const valid = isDecisionMacValid(
    ctx.keystore,
    {
      outcome: 'allow',
      notAfter: row.decision_expires_at.toISOString(),
      intentId: row.id,
      agentId: row.agent_id,
      walletId: row.wallet_id,
      derivationIndex: authority.derivation_index,
      network: row.network,
      chainKey: entry.adapter.chainKey,
      tx: row.tx,
      maxFee: row.max_fee,
      policyVersion: row.policy_version,
      policyHash,
    },
    row.decision_mac,
  )
  return valid ? undefined : 'its decision MAC does not match what it would sign'
}
