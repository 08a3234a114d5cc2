-- Fee budgets (policy fees.windows) sum network fees alone over rolling windows. The minute buckets held fees and
-- value together; each now also holds its fee part, kept in the same statements that keep the total.
alter table spend_buckets add column fee_amount numeric(78, 0) not null default 0;

update spend_buckets b set fee_amount = f.amount
  from (select agent_id, asset, date_trunc('minute', created_at) as minute, sum(amount) as amount
          from spend_reservations where status <> 'released' and kind = 'fee'
         group by agent_id, asset, date_trunc('minute', created_at)) f
 where b.agent_id = f.agent_id and b.asset = f.asset and b.minute = f.minute;
