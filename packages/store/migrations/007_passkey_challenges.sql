-- WebAuthn challenges (docs/decisions/0007-people-and-approvals.md: passkeys). The server issues each challenge and
-- keeps it here rather than in a cookie or in memory, so it is single-use and expiring across restarts and
-- processes: consuming one is a single conditional update, so of two submissions of one signed response (a replay,
-- or a race) exactly one finds it unused, and a response to a challenge past expires_at is refused.

-- account_id is the account a registration is for, or the account an authentication was asked of (null when the
-- person has not said who they are yet: a discoverable-credential login). The challenge is base64url, as the
-- browser echoes it in clientDataJSON.
create table webauthn_challenges (
  id text primary key,
  challenge text not null unique,
  account_id text references accounts (id) on delete cascade,
  purpose text not null check (purpose in ('register', 'authenticate')),
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now(),
  check (purpose = 'authenticate' or account_id is not null)
);
