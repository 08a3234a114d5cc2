export {
  type AgentRow,
  type AgentStatus,
  type DecisionState,
  getAgent,
  insertAgent,
  listAgents,
  lockAgent,
  readDecisionState,
  setAgentStatus,
} from './agents.ts'
export {
  type ApiKeyRow,
  type AuthenticatedKey,
  findApiKey,
  insertApiKey,
  listApiKeys,
  revokeApiKey,
} from './apiKeys.ts'
export {
  type AuditSigner,
  appendAudit,
  countUnsealedAudit,
  type ListAuditParameters,
  listAudit,
  type NewAuditEntry,
  readAuditHead,
  sealAudit,
  signAuditHead,
} from './auditLog.ts'
export {
  activeBreaker,
  type BreakerRow,
  countRecentDenials,
  countRecentFailures,
  listBreakers,
  resetBreaker,
  type TrippedBreaker,
  tripBreaker,
} from './breakers.ts'
export { type CreateDbParameters, createDb } from './createDb.ts'
export { DatabaseError } from './DatabaseError.ts'
export type { Db, Row, Sql } from './Db.ts'
export {
  claimIntents,
  findIntentByIdempotencyKey,
  getIntent,
  type IntentPatch,
  type IntentRow,
  insertDecidedIntent,
  type ListIntentsParameters,
  listIntentEvents,
  listIntents,
  listLegacyWaitingIntents,
  markBroadcast,
  markSigned,
  type NewIntent,
  sealIntentDecision,
  transitionIntent,
  wasSealedOnUpgrade,
} from './intents.ts'
export { getMasterSeed, insertKeyMaterial, type KeyMaterialRow } from './keyMaterial.ts'
export { type MigrateReturnType, migrate } from './migrate.ts'
export { type IdPrefix, newId } from './newId.ts'
export { findOwnerByToken, firstOwner, insertOwner, insertOwnerToken, type OwnerRow } from './owners.ts'
export {
  getCurrentPolicy,
  getPolicyVersion,
  insertPolicyVersion,
  listLegacyPolicies,
  listPolicyDocuments,
  listPolicyVersions,
  listUnsealedPolicies,
  type PolicyRow,
  sealPolicyVersion,
} from './policies.ts'
export {
  readUsage,
  releaseReservations,
  settleMined,
  type UsageQuery,
  type UsageRead,
  usageColumns,
} from './reservations.ts'
export { hashSecret, newSecret, type SecretKind, secretKind } from './secrets.ts'
export { readSigningAuthority, type SigningAuthorityRow } from './signingAuthority.ts'
export {
  policyEdit,
  policyMissing,
  recordPolicyHash,
  type VerifyAuditLogParameters,
  verifyAuditLog,
} from './verifyAuditLog.ts'
export {
  getAgentWallet,
  getWallet,
  insertWallet,
  listAgentWallets,
  lockNonce,
  type NonceKey,
  readNonceCounter,
  setNextNonce,
  type WalletRow,
} from './wallets.ts'
