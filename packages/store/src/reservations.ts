/** Spend reservations: made with the decision, released if the intent dies before broadcast, committed at broadcast. */
import type { Sql } from './Db.ts'

export async function releaseReservations(tx: Sql, intentId: string): Promise<number> {
  const rows = await tx.query(
    `update spend_reservations set status = 'released', updated_at = now()
      where intent_id = $1 and status = 'reserved' returning id`,
    [intentId],
  )
  return rows.length
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
