/**
 * The one statement shape that writes audit entries. `rows` is a `values (…)` list or a `select` giving, in order:
 * ts, actor_type, actor_id, action, subject_type, subject_id, data. Entries are written unsealed: sealAudit chains them.
 */
export function insertAuditRows(rows: string): string {
  return `insert into audit_log (ts, actor_type, actor_id, action, subject_type, subject_id, data) ${rows}`
}
