-- Fee budgets (policy fees.windows) sum network fees alone over rolling windows. The minute buckets held fees and
-- value together; each now also holds its fee part, kept in the same statements that keep the total.
-- Stop every Bursar process before upgrading: one still running older code would add fees to the buckets without
-- their fee part, and the fee part would then go below what it holds.
alter table spend_buckets add column fee_amount numeric not null default 0;

update spend_buckets b set fee_amount = f.amount
  from (select agent_id, asset, date_trunc('minute', created_at) as minute, sum(amount) as amount
          from spend_reservations where status <> 'released' and kind = 'fee'
         group by agent_id, asset, date_trunc('minute', created_at)) f
 where b.agent_id = f.agent_id and b.asset = f.asset and b.minute = f.minute;
