/**
 * Test support for the store: named operations that read tables directly or write what the server never would
 * (tampered rows, forged entries, held locks), so tests outside this package hold no SQL. Tests only: nothing in
 * any package's src imports this entry.
 */
export type { AuditHeadRow } from './AuditHeadRow.ts'
export type { AuditLogRow } from './AuditLogRow.ts'
export { clearPolicyMacs } from './clearPolicyMacs.ts'
export { type CountIntentRowsFilter, countIntentRows } from './countIntentRows.ts'
export { countIntentsByStatus } from './countIntentsByStatus.ts'
export { countRows, type TableName } from './countRows.ts'
export { type CountTableReadsReturnType, countTableReads } from './countTableReads.ts'
export { type DeleteAuditRowsTarget, deleteAuditRows } from './deleteAuditRows.ts'
export { deletePolicyVersion } from './deletePolicyVersion.ts'
export { type AgentLockHold, holdAgentLock } from './holdAgentLock.ts'
export { type InsertAuditRowParameters, insertAuditRow } from './insertAuditRow.ts'
export { type InsertIntentRowParameters, insertIntentRow } from './insertIntentRow.ts'
export { type InsertPolicyRowParameters, insertPolicyRow } from './insertPolicyRow.ts'
export { insertTrippedBreaker } from './insertTrippedBreaker.ts'
export { isBreakerTripped } from './isBreakerTripped.ts'
export { type ListApiKeyRowsFilter, listApiKeyRows } from './listApiKeyRows.ts'
export { type ListAuditRowsFilter, type ListAuditRowsOrder, listAuditRows } from './listAuditRows.ts'
export { type BucketDrift, listBucketDrift } from './listBucketDrift.ts'
export { type ListIntentRowsFilter, type ListIntentRowsOrder, listIntentRows } from './listIntentRows.ts'
export { listKeyMaterialSeals } from './listKeyMaterialSeals.ts'
export { listNonceCounterRows } from './listNonceCounterRows.ts'
export { type ListReservationRowsFilter, listReservationRows } from './listReservationRows.ts'
export { listWebhookRows, type WebhookRows } from './listWebhookRows.ts'
export type { ReservationRow } from './ReservationRow.ts'
export { readAuditHeadRow } from './readAuditHeadRow.ts'
export { readBreakerRow } from './readBreakerRow.ts'
export { readIntentRow } from './readIntentRow.ts'
export { removeAuditDataKey } from './removeAuditDataKey.ts'
export { revokeServiceToken } from './revokeServiceToken.ts'
export { type SetApprovalColumnsPatch, setApprovalColumns } from './setApprovalColumns.ts'
export { setAuditDataKey } from './setAuditDataKey.ts'
export { type SetAuditEntryPatch, setAuditEntry } from './setAuditEntry.ts'
export { type SetAuditHeadPatch, setAuditHead } from './setAuditHead.ts'
export {
  type SetIntentColumnsPatch,
  type SetIntentColumnsTarget,
  setIntentColumns,
} from './setIntentColumns.ts'
export { setPolicyDocument } from './setPolicyDocument.ts'
export { type RowsSnapshot, snapshotRows } from './snapshotRows.ts'
export { sqlInjectionPayloads } from './sqlInjectionPayloads.ts'
export { type SumReservationsFilter, sumReservations } from './sumReservations.ts'
export { sumReservationsByStatus } from './sumReservationsByStatus.ts'
export { sumSpendBuckets } from './sumSpendBuckets.ts'
