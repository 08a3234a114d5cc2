/** The API shape of an approval request: the decoded action its approvers are asked about, and where it stands. */
import { formatUnits } from '@bursar/core/amounts'
import type { Approval, ApprovalStatus, Intent, IntentRequest } from '@bursar/core/api'
import { countsFor, type MemberRole } from '@bursar/core/approvals'
import { BursarError } from '@bursar/core/errors'
import type { ApprovalDecisionRow, ApprovalRequestRow, IntentRow } from '@bursar/store'
import type { ServerContext } from '../context.ts'
import { countedRole } from './countedRole.ts'
import { quorumsOf } from './quorumsOf.ts'

/**
 * `intent` is the request's intent; what it shows is what the stored transaction does (the decision's effective
 * intent, and a call decoded from `intent.tx`, the transaction the approval hash binds), not what the agent's
 * request claimed. `now` sets the time left.
 */
export function toApprovalResponse(
  ctx: ServerContext,
  request: ApprovalRequestRow,
  intent: IntentRow,
  decisions: readonly ApprovalDecisionRow[],
  /** Each member's role now: a removed or demoted approver's approval no longer counts, as in the engine. */
  currentRoles: ReadonlyMap<string, MemberRole>,
  now: Date = new Date(),
): Approval {
  const quorums = quorumsOf(request)
  const decision = intent.decision as Intent['decision']
  const submitted = intent.request as IntentRequest
  const effective = decision?.effective
  const asset = effective?.asset ?? intent.asset
  const baseUnits = effective?.amount ?? intent.amount
  const units = assetUnits(ctx, intent.network, asset)
  const triggers = decision?.approval?.triggers ?? []
  const call = submitted.type === 'call' ? decodedCall(ctx, intent) : undefined
  return {
    id: request.id,
    intent_id: request.intent_id,
    agent_id: request.agent_id,
    status: request.status as ApprovalStatus,
    action: {
      type: submitted.type,
      network: intent.network,
      asset,
      amount: {
        base_units: baseUnits,
        units: units ? formatUnits(BigInt(baseUnits), units.decimals) : null,
        symbol: units?.symbol ?? null,
        decimals: units?.decimals ?? null,
      },
      recipient:
        effective === undefined ? intent.recipient : readable(ctx, intent.network, effective.recipient),
      contract: call?.contract ?? null,
      function: call?.function ?? null,
      arguments: call?.arguments ?? null,
      memo: submitted.memo ?? null,
    },
    rules: request.quorums.map((quorum, index) => ({
      rule: quorum.rule,
      quorum: quorum.quorum,
      approvals: decisions.filter(
        (d) =>
          d.decision === 'approve' &&
          countsFor(quorums[index]!, {
            approverId: d.account_id as never,
            role: countedRole(d.role, currentRoles.get(d.account_id)),
          }),
      ).length,
      reasons: triggers.filter((trigger) => trigger.rule === quorum.rule).map((trigger) => trigger.message),
    })),
    approval_hash: request.approval_hash,
    policy_version: request.policy_version,
    created_at: request.created_at.toISOString(),
    expires_at: request.expires_at.toISOString(),
    expires_in_seconds:
      request.status === 'pending'
        ? Math.max(0, Math.floor((request.expires_at.getTime() - now.getTime()) / 1000))
        : null,
    decided_at: request.decided_at?.toISOString() ?? null,
    executable_at: request.executable_at?.toISOString() ?? null,
    decisions: decisions.map((d) => ({
      account_id: d.account_id,
      role: d.role,
      decision: d.decision,
      factor: d.factor,
      decided_at: d.decided_at.toISOString(),
    })),
  }
}

/** An address as people read it on its network (EVM: the checksum); the engine keeps the canonical form. */
function readable(ctx: ServerContext, network: string, address: string): string {
  const adapter = ctx.networks.get(network)?.adapter
  if (adapter === undefined) return address
  try {
    return adapter.formatAddress(address)
  } catch {
    return address
  }
}

/** The symbol and decimals of an asset key: the network's native asset, or a token its configuration lists. */
function assetUnits(
  ctx: ServerContext,
  network: string,
  asset: string,
): { symbol: string; decimals: number } | undefined {
  const adapter = ctx.networks.get(network)?.adapter
  if (adapter !== undefined && asset === `${network}:native`) {
    return { symbol: adapter.network.nativeSymbol, decimals: adapter.network.nativeDecimals }
  }
  // Token lists are the family's own configuration: read only the fields every family's tokens carry.
  const config = ctx.config.networks.find(
    (candidate): candidate is { name: string; tokens?: unknown } =>
      typeof candidate === 'object' &&
      candidate !== null &&
      (candidate as { name?: unknown }).name === network,
  )
  const tokens = Array.isArray(config?.tokens) ? (config.tokens as unknown[]) : []
  for (const token of tokens) {
    const { address, symbol, decimals } = token as { address?: unknown; symbol?: unknown; decimals?: unknown }
    if (
      typeof address === 'string' &&
      `${network}:${address.toLowerCase()}` === asset.toLowerCase() &&
      typeof symbol === 'string' &&
      typeof decimals === 'number'
    ) {
      return { symbol, decimals }
    }
  }
  const price = ctx.config.prices[asset]
  return price ? { symbol: asset.slice(network.length + 1), decimals: price.decimals } : undefined
}

/** The stored form of a call's transaction: EVM's `{ to, value, data? }`, the only family that takes calls. */
function storedCall(intent: IntentRow): { to: string; value: string; data: string } {
  const tx = intent.tx as { to?: unknown; value?: unknown; data?: unknown } | null
  const { to, value, data = '0x' } = tx ?? {}
  if (typeof to !== 'string' || typeof value !== 'string' || typeof data !== 'string') {
    // A request is made only for a decided intent, with its transaction: without one there is nothing to approve.
    throw new BursarError('INTERNAL', `approval request for intent ${intent.id} has no stored call to show`)
  }
  return { to, value, data }
}

/**
 * A call's contract, function and encoded arguments, read from the stored transaction (what will be signed and
 * what the approval hash binds) and decoded as far as the network's adapter reads them.
 */
function decodedCall(
  ctx: ServerContext,
  intent: IntentRow,
): {
  contract: string
  function: { selector: string; name: string | null } | null
  arguments: string | null
} {
  const stored = storedCall(intent)
  const adapter = ctx.networks.get(intent.network)?.adapter
  let name: string | undefined
  let contract = stored.to
  if (adapter !== undefined) {
    try {
      // Preparing reads the calldata only (no RPC): the adapter's decoder, run on the stored transaction.
      const { effective } = adapter.prepare(intent.agent_id, {
        type: 'call',
        network: intent.network,
        to: stored.to,
        data: stored.data,
        value: stored.value,
      })
      name = effective.call?.function
      contract = readable(ctx, intent.network, effective.target)
    } catch {
      // Shown undecoded: the decision stored what it read; the name is only a help.
      contract = readable(ctx, intent.network, stored.to)
    }
  }
  const data = stored.data.toLowerCase()
  const selector = data.length >= 10 ? data.slice(0, 10) : undefined
  return {
    contract,
    function: selector === undefined ? null : { selector, name: name ?? null },
    arguments: selector === undefined ? null : `0x${data.slice(10)}`,
  }
}
