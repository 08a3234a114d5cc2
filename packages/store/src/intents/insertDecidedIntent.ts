/** Writes a new, decided intent with everything that goes with it, in one statement. */
import type { IntentStatus } from '@bursar/core/api'
import { BursarError } from '@bursar/core/errors'
import { assertIntentTransition } from '@bursar/core/intents'
import type { Sql } from '../Db.ts'
import { insertAuditRows } from '../fragments/insertAuditRows.ts'
import { insertIntentEventRows } from '../fragments/insertIntentEventRows.ts'
import type { IntentRow } from './IntentRow.ts'

export type NewIntent = {
  id: string
  agentId: string
  walletId: string
  network: string
  status: IntentStatus
  request: unknown
  requestHash: string
  idempotencyKey: string | null
  asset: string
  amount: string
  recipient: string
  recipients: readonly string[]
  decision: unknown
  policyVersion: number | null
  error: { code: string; message: string } | null
  /** What will be signed (the chain's transaction as JSON) and its fee ceiling; absent for refusals. */
  tx?: { json: unknown; maxFee: string }
  decisionMac?: string | null
  decisionExpiresAt?: Date | null
}

export type DecidedIntentRecords = {
  /** The path the intent took to its status, from its creation (from null): each step a legal transition. */
  events: ReadonlyArray<{ from: IntentStatus | null; to: IntentStatus }>
  reservations: ReadonlyArray<{ asset: string; amount: string; kind: 'spend' | 'fee'; usdMicros?: string }>
  audit: ReadonlyArray<{
    actor: { type: string; id: string | null }
    action: string
    data: Record<string, unknown>
  }>
}

/**
 * Writes a new intent with its events, reservations and audit entries in one statement: one round trip inside the
 * decision transaction, which holds the agent lock. Throws (INTERNAL, before any query) when `records.events` is not
 * a path of legal transitions from creation to `intent.status`.
 */
export async function insertDecidedIntent(
  tx: Sql,
  intent: NewIntent,
  records: DecidedIntentRecords,
): Promise<IntentRow> {
  assertPath(records.events, intent.status)
  const params: unknown[] = [
    intent.id,
    intent.agentId,
    intent.walletId,
    intent.network,
    intent.status,
    JSON.stringify(intent.request),
    intent.requestHash,
    intent.idempotencyKey,
    intent.asset,
    intent.amount,
    intent.recipient,
    intent.decision === null ? null : JSON.stringify(intent.decision),
    intent.policyVersion,
    intent.error === null ? null : JSON.stringify(intent.error),
    intent.recipients,
    intent.tx === undefined ? null : JSON.stringify(intent.tx.json),
    intent.tx?.maxFee ?? null,
    intent.decisionMac ?? null,
    intent.decisionExpiresAt?.toISOString() ?? null,
  ]
  const p = (value: unknown) => {
    params.push(value)
    return `$${params.length}`
  }
  const ctes = [
    `i as (insert into intents (id, agent_id, wallet_id, network, status, request, request_hash, idempotency_key,
                                asset, amount, recipient, decision, policy_version, error, recipients,
                                tx, max_fee, decision_mac, decision_expires_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::text[],
                   $16::jsonb, $17, $18, $19::timestamptz) returning *)`,
  ]
  ctes.push(
    `e as (${insertIntentEventRows(
      `select i.id, v.f, v.t, '{}'::jsonb from i, (values ${records.events.map((e) => `(${p(e.from)}::text, ${p(e.to)}::text)`).join(', ')}) as v(f, t)`,
    )})`,
  )
  if (records.reservations.length > 0) {
    const values = records.reservations
      .map(
        (r) =>
          `(${p(r.asset)}::text, ${p(r.amount)}::numeric, ${p(r.usdMicros ?? null)}::numeric, ${p(r.kind)}::text)`,
      )
      .join(', ')
    ctes.push(
      `r as (insert into spend_reservations (intent_id, agent_id, asset, amount, usd_micros, status, kind)
             select i.id, i.agent_id, v.asset, v.amount, v.usd, 'reserved', v.kind
               from i, (values ${values}) as v(asset, amount, usd, kind))`,
      // Grouped: one ON CONFLICT command may not touch the same bucket twice.
      `b as (insert into spend_buckets (agent_id, asset, minute, amount, usd_micros, fee_amount)
             select i.agent_id, v.asset, date_trunc('minute', now()), sum(v.amount), coalesce(sum(v.usd), 0),
                    sum(case when v.kind = 'fee' then v.amount else 0 end)
               from i, (values ${values}) as v(asset, amount, usd, kind) group by i.agent_id, v.asset
             on conflict (agent_id, asset, minute) do update
               set amount = spend_buckets.amount + excluded.amount, usd_micros = spend_buckets.usd_micros + excluded.usd_micros,
                   fee_amount = spend_buckets.fee_amount + excluded.fee_amount)`,
    )
  }
  // Every submission counts for rate limits, refused and denied ones too: hammering is what they are for.
  ctes.push(
    `c as (insert into intent_buckets (agent_id, minute, n) select i.agent_id, date_trunc('minute', now()), 1 from i
           on conflict (agent_id, minute) do update set n = intent_buckets.n + 1)`,
  )
  if (records.audit.length > 0) {
    const ts = new Date().toISOString()
    ctes.push(
      `a as (${insertAuditRows(
        `select ${p(ts)}::timestamptz, v.actor_type, v.actor_id, v.action, 'intent', i.id, v.data from i,
           (values ${records.audit.map((a) => `(${p(a.actor.type)}::text, ${p(a.actor.id)}::text, ${p(a.action)}::text, ${p(JSON.stringify(a.data))}::jsonb)`).join(', ')})
           as v(actor_type, actor_id, action, data)`,
      )})`,
    )
  }
  const [row] = await tx.query<IntentRow>(`with ${ctes.join(', ')} select * from i`, params)
  return row!
}

/** Each event continues the one before, from creation (null), ends at `status`, and is a legal transition. */
function assertPath(events: DecidedIntentRecords['events'], status: IntentStatus): void {
  let at: IntentStatus | null = null
  for (const event of events) {
    if (event.from !== at) {
      throw new BursarError(
        'INTERNAL',
        `intent events do not form a path: ${event.from ?? '(none)'} → ${event.to} after ${at ?? '(none)'}`,
        { details: { from: event.from, to: event.to, after: at } },
      )
    }
    assertIntentTransition(event.from, event.to)
    at = event.to
  }
  if (at !== status) {
    throw new BursarError('INTERNAL', `intent events end at ${at ?? '(none)'}, not at its status ${status}`, {
      details: { end: at, status },
    })
  }
}
