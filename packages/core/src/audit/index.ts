export {
  type AuditCheckpoint,
  checkpointMessage,
  type SignedHead,
  verifyCheckpoint,
} from './auditCheckpoint.ts'
export { canonicalHash } from './canonicalHash.ts'
export { canonicalJson } from './canonicalJson.ts'
export { type AuditEntry, genesisHash, hashAuditEntry } from './hashAuditEntry.ts'
export {
  type AuditProblem,
  type AuditVerifier,
  createAuditVerifier,
  finishAuditVerification,
  type RedactedAuditEntry,
  type StoredAuditEntry,
  type VerifyAuditChainReturnType,
} from './verifyAuditChain.ts'
