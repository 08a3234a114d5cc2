-- Circuit breakers: one row per scope ('global', or an agent id). A tripped row blocks new intents and the
-- executor for that scope until an owner resets it; rows survive restarts because they live here.
create table breakers (
  scope_key text primary key,
  scope text not null check (scope in ('agent', 'global')),
  agent_id text references agents(id),
  tripped boolean not null default false,
  signal text,
  reason text,
  tripped_at timestamptz,
  tripped_by text,
  reset_at timestamptz,
  reset_by text
);
