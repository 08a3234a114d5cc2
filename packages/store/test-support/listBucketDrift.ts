/** Test support: minute buckets that disagree with the reservations they summarise. */
import type { Sql } from '../src/Db.ts'

export type BucketDrift = {
  agent_id: string
  asset: string
  minute: string
  bucket: string
  reserved: string
  bucket_fee: string
  reserved_fee: string
}

/**
 * Every (agent, asset, minute) whose bucket total or fee part differs from the sum of the reservations not released
 * in that minute; empty when the buckets are exact, as every writer must keep them.
 *
 * @example expect(await listBucketDrift(db)).toEqual([])
 */
export async function listBucketDrift(sql: Sql): Promise<BucketDrift[]> {
  return sql.query<BucketDrift>(
    `with r as (
       select agent_id, asset, date_trunc('minute', created_at) as minute, sum(amount) as amount,
              sum(case when kind = 'fee' then amount else 0 end) as fee
         from spend_reservations where status <> 'released' group by 1, 2, 3)
     select coalesce(b.agent_id, r.agent_id) as agent_id, coalesce(b.asset, r.asset) as asset,
            coalesce(b.minute, r.minute)::text as minute, coalesce(b.amount, 0)::text as bucket,
            coalesce(r.amount, 0)::text as reserved, coalesce(b.fee_amount, 0)::text as bucket_fee,
            coalesce(r.fee, 0)::text as reserved_fee
       from spend_buckets b full join r on b.agent_id = r.agent_id and b.asset = r.asset and b.minute = r.minute
      where coalesce(b.amount, 0) <> coalesce(r.amount, 0) or coalesce(b.fee_amount, 0) <> coalesce(r.fee, 0)`,
  )
}
