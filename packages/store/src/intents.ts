/** Intents and their event history. Every status change goes through transitionIntent. */
import type { Sql } from './Db.ts'

export type IntentRow = {
  id: string
  agent_id: string
  wallet_id: string
  network: string
  status: string
  request: unknown
  request_hash: string
  idempotency_key: string | null
  asset: string
  amount: string
  recipient: string
  /** Every party the intent pays or grants something (canonical form). */
  recipients: string[] | null
  decision: unknown
  policy_version: number | null
  /** The chain's transaction as decided, JSON (null for intents refused before one existed). */
  tx: unknown
  /** The most the network fee may cost (base units of the native asset); what was reserved for it. */
  max_fee: string | null
  /** MAC over the decision and what it allows to be signed; the executor signs nothing without a valid one. */
  decision_mac: string | null
  decision_expires_at: Date | null
  /** For a nonce filler: the intent whose sequence number it fills. */
  fills_for: string | null
  nonce: number | null
  raw_tx: string | null
  tx_hash: string | null
  block_number: number | null
  error: { code: string; message: string } | null
  attempts: number
  next_attempt_at: Date
  created_at: Date
  updated_at: Date
}

export type NewIntent = {
  id: string
  agentId: string
  walletId: string
  network: string
  status: string
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
  /** A nonce filler: the intent whose sequence number it fills. */
  fillsFor?: string
}

export async function insertIntentEvents(
  tx: Sql,
  events: ReadonlyArray<{
    intentId: string
    from: string | null
    to: string
    data?: Record<string, unknown>
  }>,
): Promise<void> {
  if (events.length === 0) return
  const params: unknown[] = []
  const values = events.map((event) => {
    params.push(event.intentId, event.from, event.to, JSON.stringify(event.data ?? {}))
    const n = params.length
    return `($${n - 3}, $${n - 2}, $${n - 1}, $${n})`
  })
  await tx.query(
    `insert into intent_events (intent_id, from_status, to_status, data) values ${values.join(',')}`,
    params,
  )
}

/** The intent with its agent's owner, for authorization. */
export async function getIntent(
  sql: Sql,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<(IntentRow & { owner_id: string }) | undefined> {
  const [row] = await sql.query<IntentRow & { owner_id: string }>(
    `select i.*, a.owner_id from intents i join agents a on a.id = i.agent_id
      where i.id = $1${options.forUpdate ? ' for update of i' : ''}`,
    [id],
  )
  return row
}

export async function findIntentByIdempotencyKey(
  sql: Sql,
  agentId: string,
  key: string,
): Promise<IntentRow | undefined> {
  const [row] = await sql.query<IntentRow>(
    'select * from intents where agent_id = $1 and idempotency_key = $2',
    [agentId, key],
  )
  return row
}

export type ListIntentsParameters = {
  ownerId?: string
  agentId?: string
  status?: string
  network?: string
  /** Exclusive: the id of the last intent of the previous page (ids sort by creation time). */
  before?: string
  limit: number
}

export async function listIntents(sql: Sql, parameters: ListIntentsParameters): Promise<IntentRow[]> {
  const where: string[] = []
  const params: unknown[] = []
  const add = (clause: string, value: unknown) => {
    params.push(value)
    where.push(clause.replace('?', `$${params.length}`))
  }
  if (parameters.agentId !== undefined) add('i.agent_id = ?', parameters.agentId)
  if (parameters.ownerId !== undefined) add('a.owner_id = ?', parameters.ownerId)
  if (parameters.status !== undefined) add('i.status = ?', parameters.status)
  if (parameters.network !== undefined) add('i.network = ?', parameters.network)
  if (parameters.before !== undefined) add('i.id < ?', parameters.before)
  params.push(parameters.limit)
  return sql.query<IntentRow>(
    `select i.* from intents i join agents a on a.id = i.agent_id
      ${where.length ? `where ${where.join(' and ')}` : ''}
      order by i.id desc limit $${params.length}`,
    params,
  )
}

export type IntentPatch = {
  nonce?: number | null
  raw_tx?: string | null
  tx_hash?: string | null
  block_number?: number | null
  error?: { code: string; message: string } | null
  attempts?: number
  next_attempt_at?: Date
  decision?: unknown
}

/**
 * Moves an intent from one of `from` to `to` and records the event. Returns undefined when the intent was not
 * in an expected state (someone else moved it first), so callers never overwrite a newer state.
 */
export async function transitionIntent(
  tx: Sql,
  id: string,
  from: readonly string[],
  to: string,
  patch: IntentPatch = {},
  data: Record<string, unknown> = {},
): Promise<IntentRow | undefined> {
  const sets = ['status = $3', 'updated_at = now()']
  const params: unknown[] = [id, from, to]
  for (const [column, value] of Object.entries(patch)) {
    params.push(
      column === 'error' || column === 'decision' ? (value === null ? null : JSON.stringify(value)) : value,
    )
    sets.push(`${column} = $${params.length}`)
  }
  const [previous] = await tx.query<{ status: string }>(
    'select status from intents where id = $1 and status = any($2::text[])',
    [id, from],
  )
  if (!previous) return undefined
  const [row] = await tx.query<IntentRow>(
    `update intents set ${sets.join(', ')} where id = $1 and status = any($2::text[]) returning *`,
    params,
  )
  if (!row) return undefined
  await insertIntentEvents(tx, [{ intentId: id, from: previous.status, to, data }])
  return row
}

/** Work for executors: rows locked by another executor are skipped, never waited on. */
export async function claimIntents(tx: Sql, status: string, limit: number): Promise<IntentRow[]> {
  return tx.query<IntentRow>(
    `select * from intents i where status = $1 and next_attempt_at <= now()
        and not exists (select 1 from breakers b where b.tripped and b.scope_key in ('global', i.agent_id))
      order by id limit $2 for update skip locked`,
    [status, limit],
  )
}

export async function listIntentEvents(
  sql: Sql,
  intentId: string,
): Promise<Array<{ from_status: string | null; to_status: string; data: unknown; created_at: Date }>> {
  return sql.query(
    'select from_status, to_status, data, created_at from intent_events where intent_id = $1 order by id',
    [intentId],
  )
}

/**
 * Writes a new intent with its events, reservations and audit entries in one statement: one round trip
 * inside the decision transaction, which holds the agent lock.
 */
export async function insertDecidedIntent(
  tx: Sql,
  intent: NewIntent,
  records: {
    events: ReadonlyArray<{ from: string | null; to: string }>
    reservations: ReadonlyArray<{ asset: string; amount: string; kind: 'spend' | 'fee'; usdMicros?: string }>
    audit: ReadonlyArray<{
      actor: { type: string; id: string | null }
      action: string
      data: Record<string, unknown>
    }>
  },
): Promise<IntentRow> {
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
    intent.fillsFor ?? null,
  ]
  const p = (value: unknown) => {
    params.push(value)
    return `$${params.length}`
  }
  const ctes = [
    `i as (insert into intents (id, agent_id, wallet_id, network, status, request, request_hash, idempotency_key,
                                asset, amount, recipient, decision, policy_version, error, recipients,
                                tx, max_fee, decision_mac, decision_expires_at, fills_for)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::text[],
                   $16::jsonb, $17, $18, $19::timestamptz, $20) returning *)`,
  ]
  if (records.events.length > 0) {
    ctes.push(
      `e as (insert into intent_events (intent_id, from_status, to_status)
             select i.id, v.f, v.t from i, (values ${records.events.map((e) => `(${p(e.from)}::text, ${p(e.to)}::text)`).join(', ')}) as v(f, t))`,
    )
  }
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
      `b as (insert into spend_buckets (agent_id, asset, minute, amount, usd_micros)
             select i.agent_id, v.asset, date_trunc('minute', now()), sum(v.amount), coalesce(sum(v.usd), 0)
               from i, (values ${values}) as v(asset, amount, usd, kind) group by i.agent_id, v.asset
             on conflict (agent_id, asset, minute) do update
               set amount = spend_buckets.amount + excluded.amount, usd_micros = spend_buckets.usd_micros + excluded.usd_micros)`,
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
      `a as (insert into audit_log (ts, actor_type, actor_id, action, subject_type, subject_id, data)
             select ${p(ts)}::timestamptz, v.actor_type, v.actor_id, v.action, 'intent', i.id, v.data from i,
               (values ${records.audit.map((a) => `(${p(a.actor.type)}::text, ${p(a.actor.id)}::text, ${p(a.action)}::text, ${p(JSON.stringify(a.data))}::jsonb)`).join(', ')})
               as v(actor_type, actor_id, action, data))`,
    )
  }
  const [row] = await tx.query<IntentRow>(`with ${ctes.join(', ')} select * from i`, params)
  return row!
}

/**
 * Executor fast path: moves many intents queued → signed in one statement, with their events and audit entries.
 * Rows no longer queued (cancelled meanwhile) are left alone; their ids are not returned.
 */
export async function markSigned(
  tx: Sql,
  signed: ReadonlyArray<{ id: string; nonce: number | null; rawTx: string; txHash: string; network: string }>,
): Promise<string[]> {
  if (signed.length === 0) return []
  const rows = await tx.query<{ id: string }>(
    `with u as (
       update intents i set status = 'signed', nonce = v.nonce, raw_tx = v.raw_tx, tx_hash = v.tx_hash,
              next_attempt_at = now(), attempts = 0, updated_at = now()
         from unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[]) as v(id, nonce, raw_tx, tx_hash, network)
        where i.id = v.id and i.status = 'queued'
       returning i.id, v.nonce, v.tx_hash, v.network),
     e as (insert into intent_events (intent_id, from_status, to_status, data)
           select id, 'queued', 'signed', jsonb_build_object('nonce', nonce, 'tx_hash', tx_hash) from u),
     a as (insert into audit_log (ts, actor_type, actor_id, action, subject_type, subject_id, data)
           select $6::timestamptz, 'system', null, 'intent.signed', 'intent', id,
                  jsonb_build_object('nonce', nonce, 'tx_hash', tx_hash, 'network', network) from u)
     select id from u`,
    [
      signed.map((s) => s.id),
      signed.map((s) => s.nonce),
      signed.map((s) => s.rawTx),
      signed.map((s) => s.txHash),
      signed.map((s) => s.network),
      new Date().toISOString(),
    ],
  )
  return rows.map((row) => row.id)
}

/** Moves many intents signed → broadcast, commits their reservations, and records events and audit entries. */
export async function markBroadcast(tx: Sql, sent: ReadonlyArray<{ id: string }>): Promise<string[]> {
  if (sent.length === 0) return []
  const rows = await tx.query<{ id: string }>(
    `with u as (
       update intents i set status = 'broadcast', next_attempt_at = now(), updated_at = now()
        where i.id = any($1::text[]) and i.status = 'signed'
       returning i.id, i.tx_hash, i.nonce),
     r as (update spend_reservations s set status = 'committed', updated_at = now()
            from u where s.intent_id = u.id and s.status = 'reserved'),
     e as (insert into intent_events (intent_id, from_status, to_status) select id, 'signed', 'broadcast' from u),
     a as (insert into audit_log (ts, actor_type, actor_id, action, subject_type, subject_id, data)
           select $2::timestamptz, 'system', null, 'intent.broadcast', 'intent', id,
                  jsonb_build_object('tx_hash', tx_hash, 'nonce', nonce) from u)
     select id from u`,
    [sent.map((s) => s.id), new Date().toISOString()],
  )
  return rows.map((row) => row.id)
}

/** Intents waiting to be signed or approved that carry no decision MAC (written before decisions were sealed). */
/**
 * Waiting intents decided by an older Bursar: no decision MAC, and an intent.decided entry without the fee ceiling
 * every decision records since. A row with no decision entry was never decided by Bursar and is not a candidate.
 */
export async function listLegacyWaitingIntents(sql: Sql): Promise<IntentRow[]> {
  return sql.query<IntentRow>(
    `select i.* from intents i
      where i.status in ('queued', 'approved', 'pending_approval') and i.decision_mac is null
        and exists (select 1 from audit_log l where l.subject_type = 'intent' and l.subject_id = i.id
                     and l.action = 'intent.decided' and not l.data ? 'max_fee')
        and not exists (select 1 from audit_log l where l.subject_type = 'intent' and l.subject_id = i.id
                         and l.action = 'intent.decided' and l.data ? 'max_fee')`,
  )
}

/** Whether this database was sealed on upgrade already (sealing is once: later it would bless forged rows). */
export async function wasSealedOnUpgrade(sql: Sql): Promise<boolean> {
  const [row] = await sql.query<{ sealed: boolean }>(
    `select exists (select 1 from audit_log where action = 'upgrade.sealed') as sealed`,
  )
  return row?.sealed === true
}

/** Records what a decision allows to be signed, with its MAC and time limit (upgrade sealing only). */
export async function sealIntentDecision(
  tx: Sql,
  params: { intentId: string; tx: unknown; maxFee: string; mac: string; expiresAt: Date },
): Promise<void> {
  await tx.query(
    'update intents set tx = $2, max_fee = $3, decision_mac = $4, decision_expires_at = $5 where id = $1',
    [params.intentId, JSON.stringify(params.tx), params.maxFee, params.mac, params.expiresAt],
  )
}
