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
  getApiKey,
  insertApiKey,
  listApiKeys,
  revokeAgentApiKeys,
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
  readAuditPosition,
  sealAudit,
  signAuditHead,
} from './auditLog.ts'
export {
  type BreakerRow,
  countRecentDenials,
  countRecentFailures,
  listBreakers,
  resetBreaker,
  tripBreaker,
} from './breakers.ts'
export { checkDatabaseUrl } from './checkDatabaseUrl.ts'
export { createDatabase } from './createDatabase.ts'
export { type CreateDbParameters, createDb } from './createDb.ts'
export { DatabaseError } from './DatabaseError.ts'
export type { Db, Row, Sql } from './Db.ts'
export { dropDatabase } from './dropDatabase.ts'
export { type ClaimIntentsParameters, claimIntents } from './intents/claimIntents.ts'
export { countIntents } from './intents/countIntents.ts'
export { findIntentByIdempotencyKey } from './intents/findIntentByIdempotencyKey.ts'
export { getIntent } from './intents/getIntent.ts'
export type { IntentRow } from './intents/IntentRow.ts'
export {
  type DecidedIntentRecords,
  insertDecidedIntent,
  type NewIntent,
} from './intents/insertDecidedIntent.ts'
export { listDueIntents } from './intents/listDueIntents.ts'
export { type IntentEventRow, listIntentEvents } from './intents/listIntentEvents.ts'
export { type ListIntentsParameters, listIntents } from './intents/listIntents.ts'
export { listIntentsSince } from './intents/listIntentsSince.ts'
export { listLegacyWaitingIntents } from './intents/listLegacyWaitingIntents.ts'
export { markBroadcast } from './intents/markBroadcast.ts'
export { markSigned } from './intents/markSigned.ts'
export { retryIntentAt } from './intents/retryIntentAt.ts'
export { scheduleIntents } from './intents/scheduleIntents.ts'
export { sealIntentDecision } from './intents/sealIntentDecision.ts'
export { type IntentPatch, transitionIntent } from './intents/transitionIntent.ts'
export { wasSealedOnUpgrade } from './intents/wasSealedOnUpgrade.ts'
export {
  getMasterSeed,
  insertKeyMaterial,
  type KeyMaterialRow,
  lockKeyMaterialCreation,
} from './keyMaterial.ts'
export { type MigrateReturnType, migrate } from './migrate.ts'
export { type IdPrefix, newId } from './newId.ts'
export { findOwnerByToken, firstOwner, insertOwner, type OwnerRow } from './owners.ts'
export { pingDatabase } from './pingDatabase.ts'
export {
  getCurrentPolicy,
  getCurrentPolicyVersion,
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
export { withSavepoint } from './withSavepoint.ts'
