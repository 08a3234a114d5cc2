-- People and approvals (docs/decisions/0007-people-and-approvals.md): organisations, accounts and their second
-- factors, memberships, invitations, sessions, login throttling, approval requests and decisions. Additive only:
-- nothing existing reads these tables yet, and owners become organisations in a later migration.

create table organisations (
  id text primary key,
  name text not null,
  created_at timestamptz not null default now()
);

-- A person. The email is kept as typed and unique case-folded. The TOTP secret is sealed by the keystore (JSON, bound
-- to the account id); totp_last_step is the step of the last code accepted, so no code works twice; the secret counts
-- as a factor only once totp_enabled_at is set (the first code confirmed it).
create table accounts (
  id text primary key,
  email text not null,
  password_hash text not null,
  instance_admin boolean not null default false,
  totp_secret jsonb,
  totp_last_step bigint,
  totp_enabled_at timestamptz,
  created_at timestamptz not null default now()
);
create unique index accounts_email on accounts (lower(email));
-- At most one instance admin: the first account (insertAccount serialises first sign-ups; this is the backstop).
create unique index accounts_instance_admin on accounts (instance_admin) where instance_admin;

create table memberships (
  org_id text not null references organisations (id) on delete cascade,
  account_id text not null references accounts (id) on delete cascade,
  role text not null check (role in ('admin', 'approver', 'viewer')),
  created_at timestamptz not null default now(),
  primary key (org_id, account_id)
);
create index memberships_account on memberships (account_id);

-- created_by names the principal that invited (an account, later possibly a service token): no foreign key.
create table invitations (
  id text primary key,
  org_id text not null references organisations (id) on delete cascade,
  email text not null,
  role text not null check (role in ('admin', 'approver', 'viewer')),
  token_hash text not null unique,
  expires_at timestamptz not null,
  created_by text not null,
  created_at timestamptz not null default now(),
  accepted_at timestamptz,
  accepted_by text references accounts (id) on delete set null,
  revoked_at timestamptz
);
create index invitations_org on invitations (org_id, id);

-- A session ends at expires_at (absolute), or idle_seconds after it was last seen, or when revoked.
create table sessions (
  id text primary key,
  account_id text not null references accounts (id) on delete cascade,
  token_hash text not null unique,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  idle_seconds integer not null check (idle_seconds > 0),
  last_seen_at timestamptz not null default now(),
  step_up_at timestamptz,
  source_address text,
  user_agent text,
  revoked_at timestamptz
);
create index sessions_account on sessions (account_id, id);

create table recovery_codes (
  account_id text not null references accounts (id) on delete cascade,
  idx integer not null check (idx >= 0),
  hash text not null,
  used_at timestamptz,
  primary key (account_id, idx)
);

-- WebAuthn credentials; the id and the public key (COSE) as base64url text, read the same by every driver.
create table passkeys (
  id text primary key,
  account_id text not null references accounts (id) on delete cascade,
  credential_id text not null unique,
  public_key text not null,
  counter bigint not null default 0 check (counter >= 0),
  transports jsonb not null default '[]',
  name text,
  created_at timestamptz not null default now(),
  last_used_at timestamptz
);
create index passkeys_account on passkeys (account_id, id);

-- One request per intent that needs approval. owner_id stands in for org_id until owners become organisations.
create table approval_requests (
  id text primary key,
  intent_id text not null unique references intents (id),
  org_id text references organisations (id),
  owner_id text references owners (id),
  agent_id text not null references agents (id),
  approval_hash text not null,
  policy_version integer not null,
  rules jsonb not null,
  quorums jsonb not null,
  status text not null check (status in ('pending', 'approved', 'denied', 'expired', 'void', 'cancelled')),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  decided_at timestamptz,
  executable_at timestamptz
);
-- The expiry worker reads pending requests by expiry.
create index approval_requests_pending on approval_requests (expires_at) where status = 'pending';
create index approval_requests_org on approval_requests (org_id, id);
create index approval_requests_owner on approval_requests (owner_id, id);

-- Each approver decides a request once (the primary key); seq is the order decisions were recorded in, which the
-- approvals engine reads them by (decided_at is the decider's clock and may tie).
create table approval_decisions (
  request_id text not null references approval_requests (id) on delete cascade,
  account_id text not null references accounts (id),
  seq bigserial not null,
  role text not null check (role in ('admin', 'approver', 'viewer')),
  decision text not null check (decision in ('approve', 'deny')),
  factor text not null check (factor in ('totp', 'passkey', 'recovery')),
  decided_at timestamptz not null default now(),
  primary key (request_id, account_id)
);

-- Login throttling per key ('account:acc_…', 'ip:203.0.113.7'): a delay that grows with failures, never a lockout.
create table login_attempts (
  key text primary key,
  failures integer not null,
  last_failure_at timestamptz not null,
  next_allowed_at timestamptz not null
);
