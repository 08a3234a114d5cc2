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
