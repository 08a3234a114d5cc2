export { canonicalJson } from './canonicalJson.ts'
export { type AuditEntry, genesisHash, hashAuditEntry } from './hashAuditEntry.ts'
export {
  createAuditVerifier,
  type StoredAuditEntry,
  type VerifyAuditChainReturnType,
} from './verifyAuditChain.ts'
