-- Bursar schema v1: owners, agents, API keys, key material, wallets, policies, intents,
-- intent events, spend reservations and the hash-chained audit log.
-- Runs unchanged on PostgreSQL 15+ and PGlite.

create table owners (
  id text primary key,
  name text not null,
  created_at timestamptz not null default now()
);

create table owner_tokens (
  id text primary key,
  owner_id text not null references owners(id),
  prefix text not null,
  hash text not null unique,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);

create table agents (
  id text primary key,
  owner_id text not null references owners(id),
  name text not null,
  status text not null check (status in ('active', 'paused', 'deleted')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index agents_owner on agents (owner_id, id);

create table api_keys (
  id text primary key,
  agent_id text not null references agents(id),
  name text,
  prefix text not null,
  hash text not null unique,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
create index api_keys_agent on api_keys (agent_id);

create table key_material (
  id text primary key,
  kind text not null check (kind in ('master_seed')),
  sealed jsonb not null,
  created_at timestamptz not null default now()
);

create table wallets (
  id text primary key,
  agent_id text not null references agents(id),
  family text not null check (family in ('evm')),
  address text not null,
  key_id text not null references key_material(id),
  derivation_index integer not null,
  created_at timestamptz not null default now(),
  unique (key_id, family, derivation_index)
);
create index wallets_agent on wallets (agent_id);

-- One row per wallet and network: locking it serialises nonce assignment.
create table wallet_nonces (
  wallet_id text not null references wallets(id),
  network text not null,
  next_nonce bigint not null,
  primary key (wallet_id, network)
);

create table policies (
  agent_id text not null references agents(id),
  version integer not null,
  document jsonb not null,
  created_by text,
  created_at timestamptz not null default now(),
  primary key (agent_id, version)
);

create table intents (
  id text primary key,
  agent_id text not null references agents(id),
  wallet_id text not null references wallets(id),
  network text not null,
  status text not null,
  request jsonb not null,
  request_hash text not null,
  idempotency_key text,
  asset text not null,
  amount numeric(78, 0) not null,
  recipient text not null,
  decision jsonb,
  policy_version integer,
  nonce bigint,
  raw_tx text,
  tx_hash text,
  block_number bigint,
  error jsonb,
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (agent_id, idempotency_key)
);
create index intents_agent on intents (agent_id, id desc);
-- Rate limits and breaker signals count an agent's recent intents.
create index intents_agent_created on intents (agent_id, created_at);
create index intents_work on intents (status, next_attempt_at) where status in ('queued', 'signed', 'broadcast');

create table intent_events (
  id bigserial primary key,
  intent_id text not null references intents(id),
  from_status text,
  to_status text not null,
  data jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create index intent_events_intent on intent_events (intent_id, id);

create table spend_reservations (
  id bigserial primary key,
  intent_id text not null references intents(id),
  agent_id text not null references agents(id),
  asset text not null,
  amount numeric(78, 0) not null,
  usd_micros numeric(40, 0),
  status text not null check (status in ('reserved', 'committed', 'released')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index spend_reservations_window on spend_reservations (agent_id, asset, created_at) where status <> 'released';
create index spend_reservations_intent on spend_reservations (intent_id);

-- Audit entries are written by the transaction that makes the change (seq and hashes null), then sealed into
-- the hash chain, in order, by one sealer at a time (docs/decisions/0002-audit-sealing.md).
create table audit_log (
  id bigserial primary key,
  seq bigint unique,
  ts timestamptz not null,
  actor_type text not null,
  actor_id text,
  action text not null,
  subject_type text not null,
  subject_id text,
  data jsonb not null,
  prev_hash text,
  hash text
);
create index audit_log_unsealed on audit_log (id) where seq is null;
create index audit_log_subject on audit_log (subject_type, subject_id, seq);

-- The head of the audit chain: the last sealed entry.
create table audit_head (
  id integer primary key check (id = 1),
  seq bigint not null,
  hash text not null
);
insert into audit_head (id, seq, hash) values (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
