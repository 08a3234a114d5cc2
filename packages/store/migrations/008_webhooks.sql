-- Webhooks (docs/decisions/0007-people-and-approvals.md, Webhooks): endpoints per organisation, one delivery row per
-- event and endpoint, and the log of every attempt. Deliveries are rows rather than memory, so a restart loses
-- nothing: whatever was enqueued is sent by whichever process claims it next.

-- The server needs an endpoint's secret in the clear to sign each delivery, so it is kept sealed by the keystore (JSON,
-- purpose 'webhook', bound to the endpoint id), not hashed. After a rotation the previous secret keeps signing beside
-- the new one until previous_secret_expires_at, so a receiver can switch secrets without refusing a delivery.
-- event_types holds patterns: an exact type ('approval.requested'), a family ('intent.*') or '*'. A disabled endpoint
-- is kept (its delivery log stays readable) but is sent nothing.
create table webhook_endpoints (
  id text primary key,
  org_id text not null references organisations (id) on delete cascade,
  url text not null,
  description text,
  event_types jsonb not null check (jsonb_typeof(event_types) = 'array'),
  secret jsonb not null,
  previous_secret jsonb,
  previous_secret_expires_at timestamptz,
  created_at timestamptz not null default now(),
  disabled_at timestamptz,
  check ((previous_secret is null) = (previous_secret_expires_at is null))
);
create index webhook_endpoints_org on webhook_endpoints (org_id, id);

-- org_id repeats the endpoint's so that every read is scoped by organisation without a join. payload is the event
-- body; every attempt, and a replay, sends the same one.
-- A delivery is due when pending, next_attempt_at has passed and no worker holds a lease on it: a worker claims it by
-- setting lease_until (under FOR UPDATE SKIP LOCKED) and sends outside any transaction; a worker that dies mid-send
-- leaves a lease that simply runs out.
-- A replay is a new delivery of the same event to the same endpoint, pointing at the delivery it repeats.
create table webhook_deliveries (
  id text primary key,
  endpoint_id text not null references webhook_endpoints (id) on delete cascade,
  org_id text not null references organisations (id) on delete cascade,
  event_id text not null,
  event_type text not null,
  payload jsonb not null,
  status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
  attempts integer not null default 0 check (attempts >= 0),
  next_attempt_at timestamptz not null default now(),
  lease_until timestamptz,
  last_status integer,
  last_error text,
  created_at timestamptz not null default now(),
  delivered_at timestamptz,
  replay_of text references webhook_deliveries (id) on delete set null
);
-- An event is enqueued once per endpoint however often the audit tail hands it over (a restart re-reads the tail);
-- replays are the deliberate exception.
create unique index webhook_deliveries_event on webhook_deliveries (endpoint_id, event_id) where replay_of is null;
-- The worker reads due deliveries by time; the delivery log reads an endpoint's newest first.
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status = 'pending';
create index webhook_deliveries_endpoint on webhook_deliveries (endpoint_id, id);

-- One row per attempt to send a delivery: status is the receiver's HTTP status, null when no response came (error
-- says why: a timeout, a refused or reset connection). The primary key makes a worker whose lease ran out, and whose
-- attempt another worker already recorded, unable to record the same attempt twice.
create table webhook_attempts (
  delivery_id text not null references webhook_deliveries (id) on delete cascade,
  attempt integer not null check (attempt > 0),
  at timestamptz not null,
  status integer,
  error text,
  duration_ms integer not null check (duration_ms >= 0),
  primary key (delivery_id, attempt)
);
