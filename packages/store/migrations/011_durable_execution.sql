-- Durable execution (issue 10): an intent whose transaction may still land keeps its reservation and nonce
-- (in_doubt) until the chain settles it; stuck transactions are replaced at the same nonce, cancellations after
-- broadcast are zero-value self-transfers at that nonce; a reorg sends a confirmed intent back to broadcast.

-- Every transaction of an intent after the first (a replacement with higher fees, a cancellation), and the first
-- one itself once there is a second: whichever version is mined settles the intent, the others are replaced.
create table intent_transactions (
  intent_id text not null references intents(id),
  version integer not null,
  kind text not null check (kind in ('original', 'replacement', 'cancel')),
  nonce bigint not null,
  raw_tx text not null,
  tx_hash text not null,
  -- refused: a node refused it when it was first sent; still looked for on chain, never sent again.
  status text not null default 'pending' check (status in ('pending', 'mined', 'replaced', 'refused')),
  created_at timestamptz not null default now(),
  primary key (intent_id, version)
);
create index intent_transactions_hash on intent_transactions (tx_hash);
-- The same signed bytes are one version, however often a pass would sign them again.
create unique index intent_transactions_once on intent_transactions (intent_id, tx_hash);

-- When the newest version was last handed to a node (stuck and rebroadcast timing); when someone asked to cancel a
-- transaction already out; when the wallet's nonce was first seen used with none of the intent's versions mined
-- (settled only when a later look agrees: one lagging node must not free a nonce); where it was mined (a reorg is a
-- different block hash, or none); what the network charged.
alter table intents
  add column last_sent_at timestamptz,
  add column cancel_requested_at timestamptz,
  add column nonce_used_seen_at timestamptz,
  add column block_hash text,
  add column fee_paid numeric(78, 0);

drop index intents_work;
create index intents_work on intents (status, next_attempt_at)
  where status in ('queued', 'signed', 'broadcast', 'in_doubt');
-- The reorg watch reads intents settled by a mined transaction, by block.
create index intents_settled_block on intents (network, block_number)
  where status in ('confirmed', 'failed', 'cancelled') and block_number is not null;
