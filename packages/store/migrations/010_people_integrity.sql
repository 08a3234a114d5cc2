-- Review fixes to people and approvals (issue 8).
-- An invitation may make its account the instance admin: only one minted by an instance-admin credential, and only
-- while no account holds the role. Sign-up no longer grants it to whoever comes first.
alter table invitations add column instance_admin boolean not null default false;
-- Approval requests and decisions are MACed with a key derived from the master seed, like decisions and policies: a
-- database writer cannot forge a decision, a quorum or a timelock, so the timelock worker trusts only what verifies.
alter table approval_requests add column mac text;
alter table approval_decisions add column mac text;
