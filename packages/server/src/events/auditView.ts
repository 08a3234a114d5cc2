/** How an organisation sees one entry of the instance's audit chain: its own (and the global halt's) in full, others' as links. */
import type { TaggedAuditEntry } from '@bursar/store'

/** True when `orgId` may read the entry's content. */
export function isVisibleTo(entry: TaggedAuditEntry, orgId: string): boolean {
  return entry.orgId === orgId || (entry.orgId === null && entry.subject.type === 'system')
}

export function auditView(entry: TaggedAuditEntry, orgId: string) {
  if (!isVisibleTo(entry, orgId))
    return { seq: entry.seq, prev_hash: entry.prevHash, hash: entry.hash, redacted: true as const }
  const { prevHash, orgId: _org, ...rest } = entry
  return { ...rest, prev_hash: prevHash }
}
