-- Per-minute running totals, so a rolling-window sum reads at most one bucket per active minute plus the raw
-- rows of the single minute cut by the window's start, instead of every reservation in the window.
-- Maintained in the transactions that reserve (decision) and release (cancel, failure) spend.
create table spend_buckets (
  agent_id text not null references agents(id),
  asset text not null,
  minute timestamptz not null,
  amount numeric(78, 0) not null,
  usd_micros numeric(40, 0) not null default 0,
  primary key (agent_id, asset, minute)
);

create table intent_buckets (
  agent_id text not null references agents(id),
  minute timestamptz not null,
  n integer not null,
  primary key (agent_id, minute)
);

insert into spend_buckets (agent_id, asset, minute, amount, usd_micros)
select agent_id, asset, date_trunc('minute', created_at), sum(amount), coalesce(sum(usd_micros), 0)
  from spend_reservations where status <> 'released'
 group by agent_id, asset, date_trunc('minute', created_at);

insert into intent_buckets (agent_id, minute, n)
select agent_id, date_trunc('minute', created_at), count(*) from intents where status <> 'rejected'
 group by agent_id, date_trunc('minute', created_at);
