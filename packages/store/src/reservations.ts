/** Spend reservations: made with the decision, released if the intent dies before broadcast, committed at broadcast. */
import type { Sql } from './Db.ts'

/**
 * Gives an intent's reservations back (nothing reached the chain): those still reserved, out of the reservation rows
 * and their minute buckets.
 */
export async function releaseReservations(tx: Sql, intentId: string): Promise<number> {
  const rows = await tx.query<{ n: number }>(
    `with released as (
       update spend_reservations set status = 'released', updated_at = now()
        where intent_id = $1 and status = 'reserved'
       returning agent_id, asset, amount, coalesce(usd_micros, 0) as usd, created_at, kind),
     ${bucketChanges('released')}
     select count(*)::int as n from released`,
    [intentId],
  )
  return rows[0]?.n ?? 0
}

/**
 * Gives everything an intent holds back, committed included: for an intent none of whose transactions was mined and
 * whose nonce a transaction that is none of them used (confirmed twice, apart), so nothing of it can land any more.
 */
export async function releaseAllReservations(tx: Sql, intentId: string): Promise<number> {
  const rows = await tx.query<{ n: number }>(
    `with released as (
       update spend_reservations set status = 'released', updated_at = now()
        where intent_id = $1 and status <> 'released'
       returning agent_id, asset, amount, coalesce(usd_micros, 0) as usd, created_at, kind),
     ${bucketChanges('released')}
     select count(*)::int as n from released`,
    [intentId],
  )
  return rows[0]?.n ?? 0
}

/**
 * A reorg took out the transaction that settled an intent by giving its value back (a reverted call, a mined
 * cancellation): the value may move after all, so it counts again — committed, and back in its minute buckets.
 */
export async function reinstateSpend(tx: Sql, intentId: string): Promise<number> {
  const rows = await tx.query<{ n: number }>(
    `with back as (
       update spend_reservations set status = 'committed', updated_at = now()
        where intent_id = $1 and kind = 'spend' and status = 'released'
       returning agent_id, asset, -amount as amount, -coalesce(usd_micros, 0) as usd, created_at, kind),
     ${bucketChanges('back')}
     select count(*)::int as n from back`,
    [intentId],
  )
  return rows[0]?.n ?? 0
}

/**
 * A reorg took out the transaction whose fee was trued down to what it paid: until it is mined again it may cost up
 * to its ceiling (re-mined at a higher base fee, or replaced), so the fee counts at the ceiling again — the intent's
 * max_fee, in the reservation and its minute buckets — and is trued down once more when it settles.
 */
export async function reinstateFeeCeiling(tx: Sql, intentId: string): Promise<number> {
  const rows = await tx.query<{ n: number }>(
    `with raised as (
       update spend_reservations s
          set amount = i.max_fee,
              usd_micros = case when s.usd_micros is null or s.amount = 0 then s.usd_micros
                                else ceil(s.usd_micros * i.max_fee / s.amount) end,
              updated_at = now()
         from intents i, spend_reservations old
        where i.id = $1 and s.intent_id = i.id and s.kind = 'fee' and s.status <> 'released'
          and i.max_fee is not null and s.amount < i.max_fee and old.id = s.id
       returning s.agent_id, s.asset, old.amount - s.amount as amount,
                 coalesce(old.usd_micros, 0) - coalesce(s.usd_micros, 0) as usd, s.created_at, s.kind),
     ${bucketChanges('raised')}
     select count(*)::int as n from raised`,
    [intentId],
  )
  return rows[0]?.n ?? 0
}

/** An intent that reached the chain without passing broadcast (in_doubt, then mined): what it reserved is spent. */
export async function commitReservations(tx: Sql, intentId: string): Promise<void> {
  await tx.query(
    `update spend_reservations set status = 'committed', updated_at = now() where intent_id = $1 and status = 'reserved'`,
    [intentId],
  )
}

/**
 * Gives several intents' reservations back in one statement, the buckets locked in key order (as intake and
 * settlement lock them): releasing intent by intent would hold one bucket while waiting for the next, out of order.
 * Returns the intents that had something reserved.
 */
export async function releaseReservationsOf(tx: Sql, intentIds: readonly string[]): Promise<Set<string>> {
  if (intentIds.length === 0) return new Set()
  const rows = await tx.query<{ intent_id: string }>(
    `with released as (
       update spend_reservations set status = 'released', updated_at = now()
        where intent_id = any($1::text[]) and status = 'reserved'
       returning intent_id, agent_id, asset, amount, coalesce(usd_micros, 0) as usd, created_at, kind),
     ${bucketChanges('released')}
     select distinct intent_id from released`,
    [intentIds],
  )
  return new Set(rows.map((row) => row.intent_id))
}

/**
 * Settles mined transactions in one statement. Fee reservations are trued up to what the network really charged
 * (gas used × effective gas price) and committed; USD follows proportionally; a fee is never raised, the reserved
 * ceiling was the cap. For a reverted transaction the value never moved, so its spend is released too (its fee stays
 * spent). One statement, with the buckets locked in key order: the buckets are the rows intake writes too, so they
 * are held briefly and always in the same order.
 */
export async function settleMined(
  tx: Sql,
  mined: ReadonlyArray<{ intentId: string; paid: bigint; reverted: boolean }>,
): Promise<void> {
  if (mined.length === 0) return
  await tx.query(
    `with v as (select * from unnest($1::text[], $2::numeric[], $3::boolean[]) as v(intent_id, paid, reverted)),
     fee as (
       select s.id, s.agent_id, s.asset, s.amount, s.usd_micros, s.created_at, v.paid from spend_reservations s
         join v on v.intent_id = s.intent_id
        where s.kind = 'fee' and s.status <> 'released'),
     next as (
       select id, agent_id, asset, created_at, amount as before, least(amount, paid) as after,
              usd_micros as usd_before,
              case when usd_micros is null or amount = 0 then usd_micros
                   else ceil(usd_micros * least(amount, paid) / amount) end as usd_after
         from fee),
     u as (update spend_reservations s set amount = n.after, usd_micros = n.usd_after, status = 'committed',
                  updated_at = now()
             from next n where s.id = n.id),
     spend as (
       update spend_reservations s set status = 'released', updated_at = now()
         from v where v.reverted and s.intent_id = v.intent_id and s.kind = 'spend' and s.status <> 'released'
       returning s.agent_id, s.asset, s.amount, coalesce(s.usd_micros, 0) as usd, s.created_at, s.kind),
     changed as (
       select agent_id, asset, before - after as amount, coalesce(usd_before - usd_after, 0) as usd, created_at,
              'fee' as kind
         from next
       union all
       select agent_id, asset, amount, usd, created_at, kind from spend),
     ${bucketChanges('changed')}
     select 1`,
    [
      mined.map((item) => item.intentId),
      mined.map((item) => item.paid.toString()),
      mined.map((item) => item.reverted),
    ],
  )
}

/**
 * CTEs that take `source` (agent_id, asset, amount, usd, created_at, kind) off the minute buckets — fees off their
 * fee part too — locking the buckets in key order first so that two writers never wait on each other in opposite
 * orders.
 */
function bucketChanges(source: string): string {
  return `delta as (
       select agent_id, asset, date_trunc('minute', created_at) as minute, sum(amount) as amount, sum(usd) as usd,
              sum(case when kind = 'fee' then amount else 0 end) as fee
         from ${source} group by agent_id, asset, date_trunc('minute', created_at)),
     locked as (
       select b.agent_id, b.asset, b.minute from spend_buckets b join delta d
           on b.agent_id = d.agent_id and b.asset = d.asset and b.minute = d.minute
        order by b.agent_id, b.asset, b.minute for update of b),
     buckets as (
       update spend_buckets b set amount = b.amount - d.amount, usd_micros = b.usd_micros - d.usd,
              fee_amount = b.fee_amount - d.fee
         from delta d join locked l on l.agent_id = d.agent_id and l.asset = d.asset and l.minute = d.minute
        where b.agent_id = d.agent_id and b.asset = d.asset and b.minute = d.minute)`
}

export type UsageQuery = {
  spend: ReadonlyArray<{ asset: string; windowSeconds: number }>
  /** Network fees alone (fee budgets). */
  fees?: ReadonlyArray<{ asset: string; windowSeconds: number }>
  usdWindows: readonly number[]
  countWindows: readonly number[]
  /** Set to learn which of these parties the agent has paid before. */
  recipients?: readonly string[]
}

export type UsageRead = {
  spend: Map<string, bigint>
  fees: Map<string, bigint>
  usdMicros: Map<number, bigint>
  counts: Map<number, number>
  knownRecipients: ReadonlySet<string>
}

/** Everything a policy needs to know about past usage, in one round trip. Keys of `spend`: `${asset}|${windowSeconds}`. */
/**
 * The select-list columns that compute usage for `query` (the agent id is $1), and a reader for their values.
 * Shared so a caller can fold usage into a statement of its own.
 */
export function usageColumns(
  query: UsageQuery,
  p: (value: unknown) => string,
): { columns: string[]; read(row: Record<string, unknown>): UsageRead } {
  const columns: string[] = []
  // Each window = whole minute buckets after the minute its start falls in, plus the raw rows of that one minute
  // that are inside the window. Exact, and it reads O(active minutes) rows instead of O(reservations).
  const since = (w: string) => `now() - make_interval(secs => ${w})`
  const edgeEnd = (w: string) => `date_trunc('minute', ${since(w)}) + interval '1 minute'`
  for (const [i, { asset, windowSeconds }] of query.spend.entries()) {
    const w = p(windowSeconds)
    const a = p(asset)
    columns.push(
      `((select coalesce(sum(amount), 0) from spend_buckets where agent_id = $1 and asset = ${a} and minute >= ${edgeEnd(w)})
        + (select coalesce(sum(amount), 0) from spend_reservations where agent_id = $1 and asset = ${a}
            and status <> 'released' and created_at > ${since(w)} and created_at < ${edgeEnd(w)}))::text as s${i}`,
    )
  }
  for (const [i, { asset, windowSeconds }] of (query.fees ?? []).entries()) {
    const w = p(windowSeconds)
    const a = p(asset)
    columns.push(
      `((select coalesce(sum(fee_amount), 0) from spend_buckets where agent_id = $1 and asset = ${a} and minute >= ${edgeEnd(w)})
        + (select coalesce(sum(amount), 0) from spend_reservations where agent_id = $1 and asset = ${a} and kind = 'fee'
            and status <> 'released' and created_at > ${since(w)} and created_at < ${edgeEnd(w)}))::text as f${i}`,
    )
  }
  for (const [i, windowSeconds] of query.usdWindows.entries()) {
    const w = p(windowSeconds)
    columns.push(
      `((select coalesce(sum(usd_micros), 0) from spend_buckets where agent_id = $1 and minute >= ${edgeEnd(w)})
        + (select coalesce(sum(usd_micros), 0) from spend_reservations where agent_id = $1
            and status <> 'released' and created_at > ${since(w)} and created_at < ${edgeEnd(w)}))::text as u${i}`,
    )
  }
  for (const [i, windowSeconds] of query.countWindows.entries()) {
    const w = p(windowSeconds)
    columns.push(
      `((select coalesce(sum(n), 0) from intent_buckets where agent_id = $1 and minute >= ${edgeEnd(w)})
        + (select count(*) from intents where agent_id = $1
            and created_at > ${since(w)} and created_at < ${edgeEnd(w)}))::int as c${i}`,
    )
  }
  if (query.recipients !== undefined && query.recipients.length > 0) {
    columns.push(
      `array(select distinct r from intents, unnest(recipients) r where agent_id = $1
         and status in ('broadcast', 'confirmed') and r = any(${p(query.recipients)}::text[])) as known`,
    )
  }
  return {
    columns,
    read(row) {
      const usage: UsageRead = {
        spend: new Map(),
        fees: new Map(),
        usdMicros: new Map(),
        counts: new Map(),
        knownRecipients: new Set(),
      }
      for (const [i, { asset, windowSeconds }] of query.spend.entries()) {
        usage.spend.set(`${asset}|${windowSeconds}`, BigInt(row[`s${i}`] as string))
      }
      for (const [i, { asset, windowSeconds }] of (query.fees ?? []).entries()) {
        usage.fees.set(`${asset}|${windowSeconds}`, BigInt(row[`f${i}`] as string))
      }
      for (const [i, windowSeconds] of query.usdWindows.entries()) {
        usage.usdMicros.set(windowSeconds, BigInt(row[`u${i}`] as string))
      }
      for (const [i, windowSeconds] of query.countWindows.entries())
        usage.counts.set(windowSeconds, row[`c${i}`] as number)
      if (Array.isArray(row.known)) usage.knownRecipients = new Set(row.known as string[])
      return usage
    },
  }
}

/** Everything a policy needs to know about past usage, in one round trip. Keys of `spend`: `${asset}|${windowSeconds}`. */
export async function readUsage(tx: Sql, agentId: string, query: UsageQuery): Promise<UsageRead> {
  const params: unknown[] = [agentId]
  const p = (value: unknown) => {
    params.push(value)
    return `$${params.length}`
  }
  const { columns, read } = usageColumns(query, p)
  if (columns.length === 0) return read({})
  const [row] = await tx.query(`select ${columns.join(', ')}`, params)
  return read(row!)
}
