/**
 * Re-evaluates an agent's past intents under a draft policy, in the order they arrived, as if the draft had been
 * in force: usage (spend, counts, known recipients) is rebuilt from what the draft itself would have admitted.
 */
import type { IntentRequest } from '@bursar/core/api'
import type { EffectiveIntent } from '@bursar/core/chains'
import { type CompiledPolicy, evaluatePolicy, type Usage, usageKey, usageRequest } from '@bursar/core/policy'
import type { IntentRow } from '@bursar/store'
import type { ServerContext } from '../context.ts'
import { priceSource } from './decideIntent.ts'
import { prepareIntent } from './prepareIntent.ts'

type ReplayChange = {
  intent_id: string
  created_at: string
  before: string
  after: string
  reasons: Array<{ code: string; rule: string; message: string }>
}

export type ReplayPolicyReturnType = {
  evaluated: number
  skipped: number
  changed: ReplayChange[]
  summary: Record<string, number>
}

// `fee`: a network fee reservation (fee budgets count only these; every other limit counts both).
type Spent = { asset: string; amount: bigint; usdMicros: bigint; fee: boolean; at: number }

export function replayPolicy(
  ctx: ServerContext,
  draft: CompiledPolicy,
  intents: IntentRow[],
): ReplayPolicyReturnType {
  const ledger: Spent[] = []
  const admitted: number[] = []
  const paid = new Set<string>()
  const changed: ReplayChange[] = []
  const summary: Record<string, number> = {}
  let skipped = 0
  const prices = priceSource(ctx)
  for (const row of intents) {
    const at = row.created_at.getTime()
    if (row.decision === null) {
      // Refused before any decision (simulation, paused, frozen): it still counted as a submission.
      admitted.push(at)
      skipped++
      continue
    }
    let intent: EffectiveIntent
    try {
      const prepared = prepareIntent(ctx, row.agent_id, row.request as IntentRequest)
      // The fee ceiling reserved at the time, where it was recorded.
      intent =
        row.max_fee === null
          ? prepared.effective
          : prepared.entry.adapter.withFee(prepared.effective, BigInt(row.max_fee))
    } catch {
      skipped++ // its network is no longer configured
      continue
    }
    const request = usageRequest(draft, intent)
    const usage: Usage = {
      spend: new Map(),
      fees: new Map(),
      usdMicros: new Map(),
      counts: new Map(),
      knownRecipients: new Set(request.recipients.filter((party) => paid.has(party))),
    }
    for (const { asset, windowSeconds } of request.spend) {
      const since = at - windowSeconds * 1000
      let total = 0n
      for (const spent of ledger) if (spent.asset === asset && spent.at > since) total += spent.amount
      usage.spend.set(usageKey(asset, windowSeconds), total)
    }
    for (const { asset, windowSeconds } of request.fees) {
      const since = at - windowSeconds * 1000
      let total = 0n
      for (const spent of ledger)
        if (spent.fee && spent.asset === asset && spent.at > since) total += spent.amount
      usage.fees.set(usageKey(asset, windowSeconds), total)
    }
    for (const windowSeconds of request.usdWindows) {
      const since = at - windowSeconds * 1000
      let total = 0n
      for (const spent of ledger) if (spent.at > since) total += spent.usdMicros
      usage.usdMicros.set(windowSeconds, total)
    }
    for (const windowSeconds of request.countWindows) {
      const since = at - windowSeconds * 1000
      usage.counts.set(windowSeconds, admitted.filter((t) => t > since).length)
    }
    const decision = evaluatePolicy(draft, intent, usage, {
      now: row.created_at,
      agentStatus: 'active',
      breaker: { tripped: false },
      prices,
    })
    // Every submission counts for rate limits; only what the draft admits is spent.
    admitted.push(at)
    if (decision.outcome !== 'deny') {
      for (const r of decision.reservations)
        ledger.push({
          asset: r.asset,
          amount: BigInt(r.amount),
          usdMicros: BigInt(r.usdMicros ?? '0'),
          fee: r.kind === 'fee',
          at,
        })
      if (['broadcast', 'confirmed'].includes(row.status)) {
        for (const party of decision.effective.recipients) paid.add(party)
      }
    }
    const before = (row.decision as { outcome?: string } | null)?.outcome ?? 'unknown'
    const key = `${before}->${decision.outcome}`
    summary[key] = (summary[key] ?? 0) + 1
    if (before !== decision.outcome) {
      changed.push({
        intent_id: row.id,
        created_at: row.created_at.toISOString(),
        before,
        after: decision.outcome,
        reasons: decision.reasons.map((r) => ({ code: r.code, rule: r.rule, message: r.message })),
      })
    }
  }
  return { evaluated: intents.length - skipped, skipped, changed, summary }
}
