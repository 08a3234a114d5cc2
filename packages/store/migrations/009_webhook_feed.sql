-- Where the webhook feed stands in the audit chain: the last sealed entry turned into deliveries. One row; a feeding
-- process locks it, so several processes feed in turn and none skips or repeats an entry (deliveries are unique per
-- endpoint and event as well). New instances start at the present: there are no endpoints to deliver the past to.
create table webhook_feed (
  id integer primary key check (id = 1),
  seq bigint not null
);
insert into webhook_feed (id, seq) select 1, coalesce((select seq from audit_head where id = 1), 0);
