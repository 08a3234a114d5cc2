/** Spend reservations: made with the decision, released if the intent dies before broadcast, committed at broadcast. */
import type { Sql } from './Db.ts'

export async function insertReservations(
  tx: Sql,
  intentId: string,
  agentId: string,
  reservations: ReadonlyArray<{ asset: string; amount: string; usdMicros?: string }>,
): Promise<void> {
  for (const reservation of reservations) {
    await tx.query(
      `insert into spend_reservations (intent_id, agent_id, asset, amount, usd_micros, status)
       values ($1, $2, $3, $4, $5, 'reserved')`,
      [intentId, agentId, reservation.asset, reservation.amount, reservation.usdMicros ?? null],
    )
  }
}

export async function releaseReservations(tx: Sql, intentId: string): Promise<number> {
  const rows = await tx.query(
    `update spend_reservations set status = 'released', updated_at = now()
      where intent_id = $1 and status = 'reserved' returning id`,
    [intentId],
  )
  return rows.length
}

export async function commitReservations(tx: Sql, intentId: string): Promise<void> {
  await tx.query(
    `update spend_reservations set status = 'committed', updated_at = now() where intent_id = $1 and status = 'reserved'`,
    [intentId],
  )
}

/** Reserved plus committed spend of `asset` in the last `windowSeconds`, in base units (decimal string). */
export async function sumSpend(
  tx: Sql,
  agentId: string,
  asset: string,
  windowSeconds: number,
): Promise<bigint> {
  const [row] = await tx.query<{ total: string }>(
    `select coalesce(sum(amount), 0)::text as total from spend_reservations
      where agent_id = $1 and asset = $2 and status <> 'released'
        and created_at > now() - make_interval(secs => $3)`,
    [agentId, asset, windowSeconds],
  )
  return BigInt(row!.total)
}

export async function sumSpendUsd(tx: Sql, agentId: string, windowSeconds: number): Promise<bigint> {
  const [row] = await tx.query<{ total: string }>(
    `select coalesce(sum(usd_micros), 0)::text as total from spend_reservations
      where agent_id = $1 and status <> 'released' and created_at > now() - make_interval(secs => $2)`,
    [agentId, windowSeconds],
  )
  return BigInt(row!.total)
}

/** Intents the agent submitted in the window that were not rejected outright (rate limits count attempts that got through). */
export async function countIntents(tx: Sql, agentId: string, windowSeconds: number): Promise<number> {
  const [row] = await tx.query<{ n: number }>(
    `select count(*)::int as n from intents
      where agent_id = $1 and status <> 'rejected' and created_at > now() - make_interval(secs => $2)`,
    [agentId, windowSeconds],
  )
  return row!.n
}

export async function recipientKnown(tx: Sql, agentId: string, recipient: string): Promise<boolean> {
  const rows = await tx.query(
    `select 1 from intents where agent_id = $1 and lower(recipient) = lower($2)
        and status in ('broadcast', 'confirmed') limit 1`,
    [agentId, recipient],
  )
  return rows.length > 0
}

export type UsageQuery = {
  spend: ReadonlyArray<{ asset: string; windowSeconds: number }>
  usdWindows: readonly number[]
  countWindows: readonly number[]
  /** Set to learn whether the agent has paid this recipient before. */
  recipient?: string
}

export type UsageRead = {
  spend: Map<string, bigint>
  usdMicros: Map<number, bigint>
  counts: Map<number, number>
  recipientKnown: boolean
}

/** Everything a policy needs to know about past usage, in one round trip. Keys of `spend`: `${asset}|${windowSeconds}`. */
export async function readUsage(tx: Sql, agentId: string, query: UsageQuery): Promise<UsageRead> {
  const params: unknown[] = [agentId]
  const columns: string[] = []
  const p = (value: unknown) => {
    params.push(value)
    return `$${params.length}`
  }
  // One index range scan per asset, however many windows the policy has on it.
  const byAsset = new Map<string, number[]>()
  for (const { asset, windowSeconds } of query.spend)
    byAsset.set(asset, [...(byAsset.get(asset) ?? []), windowSeconds])
  const assets = [...byAsset.entries()]
  for (const [i, [asset, windows]] of assets.entries()) {
    const sums = windows.map(
      (w) =>
        `coalesce(sum(amount) filter (where created_at > now() - make_interval(secs => ${p(w)})), 0)::text`,
    )
    columns.push(
      `(select array[${sums.join(', ')}] from spend_reservations where agent_id = $1 and asset = ${p(asset)}
         and status <> 'released' and created_at > now() - make_interval(secs => ${p(Math.max(...windows))})) as s${i}`,
    )
  }
  query.usdWindows.forEach((windowSeconds, i) => {
    columns.push(
      `(select coalesce(sum(usd_micros), 0)::text from spend_reservations where agent_id = $1
         and status <> 'released' and created_at > now() - make_interval(secs => ${p(windowSeconds)})) as u${i}`,
    )
  })
  query.countWindows.forEach((windowSeconds, i) => {
    columns.push(
      `(select count(*)::int from intents where agent_id = $1 and status <> 'rejected'
         and created_at > now() - make_interval(secs => ${p(windowSeconds)})) as c${i}`,
    )
  })
  if (query.recipient !== undefined) {
    columns.push(
      `exists (select 1 from intents where agent_id = $1 and lower(recipient) = lower(${p(query.recipient)})
         and status in ('broadcast', 'confirmed')) as known`,
    )
  }
  const usage: UsageRead = {
    spend: new Map(),
    usdMicros: new Map(),
    counts: new Map(),
    recipientKnown: false,
  }
  if (columns.length === 0) return usage
  const [row] = await tx.query<Record<string, string | number | boolean>>(
    `select ${columns.join(', ')}`,
    params,
  )
  for (const [i, [asset, windows]] of assets.entries()) {
    const sums = row![`s${i}`] as unknown as string[]
    for (const [k, windowSeconds] of windows.entries())
      usage.spend.set(`${asset}|${windowSeconds}`, BigInt(sums[k]!))
  }
  for (const [i, windowSeconds] of query.usdWindows.entries()) {
    usage.usdMicros.set(windowSeconds, BigInt(row![`u${i}`] as string))
  }
  for (const [i, windowSeconds] of query.countWindows.entries())
    usage.counts.set(windowSeconds, row![`c${i}`] as number)
  if (query.recipient !== undefined) usage.recipientKnown = row!.known === true
  return usage
}
