export type { AccountRow } from './accounts/AccountRow.ts'
export { deletePasskey } from './accounts/deletePasskey.ts'
export { findAccountByEmail } from './accounts/findAccountByEmail.ts'
export { findPasskey } from './accounts/findPasskey.ts'
export { getAccount } from './accounts/getAccount.ts'
export { type InsertAccountParameters, insertAccount } from './accounts/insertAccount.ts'
export { type InsertPasskeyParameters, insertPasskey } from './accounts/insertPasskey.ts'
export { listPasskeys } from './accounts/listPasskeys.ts'
export { listRecoveryCodes } from './accounts/listRecoveryCodes.ts'
export type { PasskeyRow } from './accounts/PasskeyRow.ts'
export {
  type AccountCredentials,
  type ReadAccountCredentialsParameters,
  readAccountCredentials,
} from './accounts/readAccountCredentials.ts'
export { readTotpSecret } from './accounts/readTotpSecret.ts'
export { type RecordTotpStepOptions, recordTotpStep } from './accounts/recordTotpStep.ts'
export { replaceRecoveryCodes } from './accounts/replaceRecoveryCodes.ts'
export { setPasswordHash } from './accounts/setPasswordHash.ts'
export { setTotp } from './accounts/setTotp.ts'
export {
  type UpdatePasskeyCounterParameters,
  updatePasskeyCounter,
} from './accounts/updatePasskeyCounter.ts'
export { useRecoveryCodeSlot } from './accounts/useRecoveryCodeSlot.ts'
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
export type { ApprovalDecisionRow, ApprovalFactor } from './approvals/ApprovalDecisionRow.ts'
export type {
  ApprovalQuorumRecord,
  ApprovalRequestRow,
  ApprovalRequestStatus,
} from './approvals/ApprovalRequestRow.ts'
export { getApprovalRequest } from './approvals/getApprovalRequest.ts'
export { getApprovalRequestByIntent } from './approvals/getApprovalRequestByIntent.ts'
export {
  type InsertApprovalDecisionParameters,
  insertApprovalDecision,
} from './approvals/insertApprovalDecision.ts'
export {
  type InsertApprovalRequestParameters,
  insertApprovalRequest,
} from './approvals/insertApprovalRequest.ts'
export { listApprovalDecisions } from './approvals/listApprovalDecisions.ts'
export {
  type ListApprovalRequestsParameters,
  listApprovalRequests,
} from './approvals/listApprovalRequests.ts'
export {
  type ApprovalRequestWithIntent,
  listApprovalRequestsWithIntents,
} from './approvals/listApprovalRequestsWithIntents.ts'
export { listDecisionsOfRequests } from './approvals/listDecisionsOfRequests.ts'
export { listDueApprovedRequests } from './approvals/listDueApprovedRequests.ts'
export {
  type ListExpiredApprovalRequestsParameters,
  listExpiredApprovalRequests,
} from './approvals/listExpiredApprovalRequests.ts'
export { type ApprovalStatusChange, setApprovalStatus } from './approvals/setApprovalStatus.ts'
export {
  type AuditSigner,
  appendAudit,
  countUnsealedAudit,
  type ListAuditParameters,
  listAudit,
  listTaggedAudit,
  type NewAuditEntry,
  readAuditHead,
  readAuditPosition,
  readAuditStatus,
  sealAudit,
  signAuditHead,
  type TaggedAuditEntry,
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
export { addIntentTransaction } from './intents/addIntentTransaction.ts'
export { type ClaimIntentsParameters, claimIntents } from './intents/claimIntents.ts'
export { countIntents } from './intents/countIntents.ts'
export { findIntentByIdempotencyKey } from './intents/findIntentByIdempotencyKey.ts'
export { getIntent } from './intents/getIntent.ts'
export type { IntentRow } from './intents/IntentRow.ts'
export type { IntentTransactionRow } from './intents/IntentTransactionRow.ts'
export {
  type DecidedIntentRecords,
  insertDecidedIntent,
  type NewIntent,
} from './intents/insertDecidedIntent.ts'
export { type DueIntentRow, listDueIntents } from './intents/listDueIntents.ts'
export { type IntentEventRow, listIntentEvents } from './intents/listIntentEvents.ts'
export { type ListIntentsParameters, listIntents } from './intents/listIntents.ts'
export { listIntentsSince } from './intents/listIntentsSince.ts'
export { listIntentTransactions } from './intents/listIntentTransactions.ts'
export { listLegacyWaitingIntents } from './intents/listLegacyWaitingIntents.ts'
export { listRecentlySettled } from './intents/listRecentlySettled.ts'
export { markBroadcast } from './intents/markBroadcast.ts'
export { markMinedVersion } from './intents/markMinedVersion.ts'
export { markSigned } from './intents/markSigned.ts'
export { markVersionRefused } from './intents/markVersionRefused.ts'
export { readVersionAuthority, type VersionAuthority } from './intents/readVersionAuthority.ts'
export { reopenVersion } from './intents/reopenVersion.ts'
export { retryIntentAt } from './intents/retryIntentAt.ts'
export { scheduleIntents } from './intents/scheduleIntents.ts'
export { sealIntentDecision } from './intents/sealIntentDecision.ts'
export { type IntentPatch, transitionIntent } from './intents/transitionIntent.ts'
export { tryLockIntents } from './intents/tryLockIntents.ts'
export { updateIntent } from './intents/updateIntent.ts'
export { wasSealedOnUpgrade } from './intents/wasSealedOnUpgrade.ts'
export {
  getMasterSeed,
  insertKeyMaterial,
  type KeyMaterialRow,
  lockKeyMaterialCreation,
} from './keyMaterial.ts'
export {
  type BeginLoginAttemptReturnType,
  beginLoginAttempt,
} from './loginThrottle/beginLoginAttempt.ts'
export { clearLoginFailures } from './loginThrottle/clearLoginFailures.ts'
export { forgiveLoginAttempt } from './loginThrottle/forgiveLoginAttempt.ts'
export type { LoginThrottleRow } from './loginThrottle/LoginThrottleRow.ts'
export { pruneLoginAttempts } from './loginThrottle/pruneLoginAttempts.ts'
export { type MigrateReturnType, migrate } from './migrate.ts'
export { type IdPrefix, newId } from './newId.ts'
export {
  type AcceptInvitationParameters,
  type AcceptInvitationReturnType,
  acceptInvitation,
} from './organisations/acceptInvitation.ts'
export { findInvitation } from './organisations/findInvitation.ts'
export { getMembership } from './organisations/getMembership.ts'
export { getOrganisation } from './organisations/getOrganisation.ts'
export type { InvitationRow } from './organisations/InvitationRow.ts'
export {
  type InsertInvitationParameters,
  insertInvitation,
} from './organisations/insertInvitation.ts'
export {
  type InsertMembershipParameters,
  insertMembership,
} from './organisations/insertMembership.ts'
export { insertOrganisation } from './organisations/insertOrganisation.ts'
export { listMembers } from './organisations/listMembers.ts'
export { listMemberships } from './organisations/listMemberships.ts'
export type { MembershipRow } from './organisations/MembershipRow.ts'
export type { OrganisationRow } from './organisations/OrganisationRow.ts'
export { setMemberRole } from './organisations/setMemberRole.ts'
export {
  type ConsumeWebauthnChallengeParameters,
  consumeWebauthnChallenge,
} from './passkeys/consumeWebauthnChallenge.ts'
export {
  type InsertWebauthnChallengeParameters,
  insertWebauthnChallenge,
} from './passkeys/insertWebauthnChallenge.ts'
export { pruneWebauthnChallenges } from './passkeys/pruneWebauthnChallenges.ts'
export type {
  WebauthnChallengePurpose,
  WebauthnChallengeRow,
} from './passkeys/WebauthnChallengeRow.ts'
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
  commitReservations,
  readUsage,
  reinstateFeeCeiling,
  reinstateSpend,
  releaseAllReservations,
  releaseReservations,
  releaseReservationsOf,
  settleMined,
  type UsageQuery,
  type UsageRead,
} from './reservations.ts'
export { hashSecret, newSecret, type SecretKind, secretKind } from './secrets.ts'
export { findServiceToken } from './serviceTokens/findServiceToken.ts'
export { firstOrganisation } from './serviceTokens/firstOrganisation.ts'
export { insertOrganisationWithToken } from './serviceTokens/insertOrganisationWithToken.ts'
export { type InsertServiceTokenParameters, insertServiceToken } from './serviceTokens/insertServiceToken.ts'
export { listServiceTokens } from './serviceTokens/listServiceTokens.ts'
export { revokeServiceToken } from './serviceTokens/revokeServiceToken.ts'
export type { ServiceTokenRow } from './serviceTokens/ServiceTokenRow.ts'
export { findSession } from './sessions/findSession.ts'
export { type InsertSessionParameters, insertSession } from './sessions/insertSession.ts'
export { listSessions } from './sessions/listSessions.ts'
export { markStepUp } from './sessions/markStepUp.ts'
export { revokeOtherSessions } from './sessions/revokeOtherSessions.ts'
export { revokeSession } from './sessions/revokeSession.ts'
export type { SessionRow } from './sessions/SessionRow.ts'
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
export { advanceWebhookFeed } from './webhooks/advanceWebhookFeed.ts'
export {
  type ClaimedWebhookDelivery,
  type ClaimWebhookDeliveriesParameters,
  claimWebhookDeliveries,
} from './webhooks/claimWebhookDeliveries.ts'
export { disableWebhookEndpoint } from './webhooks/disableWebhookEndpoint.ts'
export {
  type EnqueueWebhookDeliveriesParameters,
  enqueueWebhookDeliveries,
} from './webhooks/enqueueWebhookDeliveries.ts'
export { getWebhookDelivery } from './webhooks/getWebhookDelivery.ts'
export { getWebhookEndpoint } from './webhooks/getWebhookEndpoint.ts'
export {
  type InsertWebhookEndpointParameters,
  insertWebhookEndpoint,
} from './webhooks/insertWebhookEndpoint.ts'
export { listWebhookAttempts } from './webhooks/listWebhookAttempts.ts'
export {
  type ListWebhookDeliveriesParameters,
  listWebhookDeliveries,
} from './webhooks/listWebhookDeliveries.ts'
export { listWebhookEndpoints } from './webhooks/listWebhookEndpoints.ts'
export { lockWebhookFeed } from './webhooks/lockWebhookFeed.ts'
export {
  type RecordWebhookAttemptParameters,
  recordWebhookAttempt,
} from './webhooks/recordWebhookAttempt.ts'
export { replayWebhookDelivery } from './webhooks/replayWebhookDelivery.ts'
export {
  type RotateWebhookEndpointSecretParameters,
  rotateWebhookEndpointSecret,
} from './webhooks/rotateWebhookEndpointSecret.ts'
export type { WebhookAttemptRow } from './webhooks/WebhookAttemptRow.ts'
export type { WebhookDeliveryRow, WebhookDeliveryStatus } from './webhooks/WebhookDeliveryRow.ts'
export type { WebhookEndpointRow } from './webhooks/WebhookEndpointRow.ts'
export { withSavepoint } from './withSavepoint.ts'
