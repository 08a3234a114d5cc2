-- Owners become organisations, one for one and keeping their ids, so every reference stays valid
-- (docs/decisions/0007-people-and-approvals.md). Owner tokens become the organisation's service tokens with the role
-- admin; those of the first owner keep the right to trip and reset the global halt that every owner token had.

insert into organisations (id, name, created_at) select id, name, created_at from owners on conflict (id) do nothing;

alter table agents drop constraint agents_owner_id_fkey;
alter table agents rename column owner_id to org_id;
alter table agents add constraint agents_org_id_fkey foreign key (org_id) references organisations (id);
alter index agents_owner rename to agents_org;

alter table owner_tokens rename to service_tokens;
alter table service_tokens drop constraint owner_tokens_owner_id_fkey;
alter table service_tokens rename column owner_id to org_id;
alter table service_tokens add constraint service_tokens_org_id_fkey foreign key (org_id) references organisations (id) on delete cascade;
alter table service_tokens add column name text not null default 'owner token';
alter table service_tokens add column role text not null default 'admin' check (role in ('admin', 'approver', 'viewer'));
alter table service_tokens add column instance_admin boolean not null default false;
-- The principal that created the token (an account or another token); null for tokens made at setup.
alter table service_tokens add column created_by text;
update service_tokens set instance_admin = true where org_id = (select id from owners order by created_at, id limit 1);
create index service_tokens_org on service_tokens (org_id, id);

update approval_requests set org_id = owner_id where org_id is null;
alter table approval_requests drop column owner_id;
alter table approval_requests alter column org_id set not null;

drop table owners;

-- Which organisation an audit entry belongs to, so each organisation's view shows its own entries in full and the
-- rest as hashes. Not part of the entry's hash: it decides who may read an entry, not what the entry says. Set by
-- the trigger below from the subject, so no writer can forget it; entries about no organisation stay null.
alter table audit_log add column org_id text;
create index audit_log_org on audit_log (org_id, seq);
create function audit_log_org_id() returns trigger language plpgsql as $$ begin if new.org_id is null then new.org_id := case new.subject_type when 'agent' then (select org_id from agents where id = new.subject_id) when 'intent' then (select a.org_id from intents i join agents a on a.id = i.agent_id where i.id = new.subject_id) when 'api_key' then (select a.org_id from api_keys k join agents a on a.id = k.agent_id where k.id = new.subject_id) when 'key' then (select a.org_id from api_keys k join agents a on a.id = k.agent_id where k.id = new.subject_id) when 'wallet' then (select a.org_id from wallets w join agents a on a.id = w.agent_id where w.id = new.subject_id) when 'approval' then (select org_id from approval_requests where id = new.subject_id) when 'organisation' then new.subject_id when 'service_token' then (select org_id from service_tokens where id = new.subject_id) else null end; end if; return new; end $$;
create trigger audit_log_org_id before insert on audit_log for each row execute function audit_log_org_id();
update audit_log set org_id = case subject_type when 'agent' then (select org_id from agents where id = subject_id) when 'intent' then (select a.org_id from intents i join agents a on a.id = i.agent_id where i.id = subject_id) when 'api_key' then (select a.org_id from api_keys k join agents a on a.id = k.agent_id where k.id = subject_id) when 'key' then (select a.org_id from api_keys k join agents a on a.id = k.agent_id where k.id = subject_id) when 'wallet' then (select a.org_id from wallets w join agents a on a.id = w.agent_id where w.id = subject_id) else null end;
