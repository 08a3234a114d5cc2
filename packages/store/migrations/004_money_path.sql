-- Money-path hardening (issue: policy bypasses, signing authority, audit integrity).

-- What will be signed is fixed at decision time and bound to the decision by a MAC the database cannot forge
-- (its key is derived from the master seed): the chain's transaction as JSON (for EVM: target, value, calldata,
-- gas limit) and the fee ceiling.
alter table intents add column tx jsonb;
alter table intents add column max_fee numeric(78, 0);
alter table intents add column decision_mac text;
-- A decision authorises signing until then; a row replayed later than that is refused whatever else it says.
alter table intents add column decision_expires_at timestamptz;
-- A nonce filler names the intent whose sequence number it fills; nothing an agent sends can set it.
alter table intents add column fills_for text references intents (id);
-- Every party the intent pays or grants something (canonical form), for recipient history.
alter table intents add column recipients text[];
update intents set recipients = array[lower(recipient)];

-- Fees are reserved apart from what the intent moves, so they can be trued up once the transaction is mined.
alter table spend_reservations add column kind text not null default 'spend' check (kind in ('spend', 'fee'));
-- Sums must not overflow: nine approvals of 2^256 - 1 in one intent, or in one minute, exceed numeric(78, 0).
alter table spend_reservations alter column amount type numeric;
alter table spend_reservations alter column usd_micros type numeric;
alter table intents alter column amount type numeric;
alter table spend_buckets alter column amount type numeric;
alter table spend_buckets alter column usd_micros type numeric;

-- Nonces belong to an account on a chain, whatever network names point at that chain.
create table nonce_counters (
  chain text not null,
  address text not null,
  next_nonce bigint not null,
  primary key (chain, address)
);
drop table wallet_nonces;

-- Wallets of every chain family, not only EVM (the family's adapter derives the address).
alter table wallets drop constraint wallets_family_check;

-- The head of the audit chain is signed (Ed25519, key derived from the master seed) at every seal.
alter table audit_head add column signed_at timestamptz;
alter table audit_head add column signature text;

-- Policy documents: their canonical hash (also recorded in the policy.set audit entry) and a MAC over it.
alter table policies add column document_hash text;
alter table policies add column mac text
;

-- Rate limits count every submission from now on, denied and refused ones included.
insert into intent_buckets (agent_id, minute, n)
select agent_id, date_trunc('minute', created_at), count(*) from intents where status = 'rejected'
 group by agent_id, date_trunc('minute', created_at)
on conflict (agent_id, minute) do update set n = intent_buckets.n + excluded.n
