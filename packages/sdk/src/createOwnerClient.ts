/**
 * The owner's client: agents and their keys, policies, intents, approval requests and their decisions, wallets,
 * circuit breakers, the audit log; people (sign-up, login, sessions, TOTP, step-up) and the organisation's members,
 * invitations and service tokens.
 */
import type {
  Agent,
  ApiKey,
  Approval,
  agentListResponseSchema,
  apiKeyListResponseSchema,
  approvalListQuerySchema,
  approvalListResponseSchema,
  auditHeadSchema,
  auditPageSchema,
  auditQuerySchema,
  Balances,
  Breaker,
  balanceQuerySchema,
  breakerListResponseSchema,
  createAgentRequestSchema,
  createAgentResponseSchema,
  createApiKeyRequestSchema,
  createdServiceTokenSchema,
  currentPolicyResponseSchema,
  dryRunResponseSchema,
  Intent,
  IntentRequest,
  intentEventsResponseSchema,
  intentListQuerySchema,
  intentListResponseSchema,
  invitationRequestSchema,
  invitationSchema,
  loginRequestSchema,
  loginResponseSchema,
  memberSchema,
  meResponseSchema,
  newApiKeySchema,
  policyVersionsResponseSchema,
  recoveryCodesSchema,
  replayRequestSchema,
  replayResponseSchema,
  secondFactorSchema,
  serviceTokenRequestSchema,
  serviceTokenSchema,
  sessionSchema,
  setPolicyResponseSchema,
  signedHeadSchema,
  signUpRequestSchema,
  stepUpResponseSchema,
  totpEnrolmentSchema,
  totpStartRequestSchema,
  tripRequestSchema,
  tripResponseSchema,
  Wallet,
} from '@bursar/core/api'
import type { policyDocumentSchema } from '@bursar/core/policy'
import type { z } from 'zod'
import { parseIntentRequest } from './parseIntentRequest.ts'
import { request, type Transport } from './request.ts'

export type OwnerClientParameters = {
  /** Where Bursar listens, e.g. `http://127.0.0.1:8420`. */
  url: string
  /**
   * A service token (`bsr_owner_…`) or a person's session token (`bsr_ses_…`, from `login` or `signUp`). Approving
   * and denying, and everything about the signed-in account, take a session; omit it to sign up or log in.
   */
  token?: string
  fetch?: typeof fetch
}

export type CreateAgentParameters = z.input<typeof createAgentRequestSchema>
export type CreateAgentReturnType = z.output<typeof createAgentResponseSchema>
export type ListAgentsReturnType = z.output<typeof agentListResponseSchema>

export type CreateKeyParameters = z.input<typeof createApiKeyRequestSchema>
/** A new key: `secret` is in this response and nowhere else. */
export type NewApiKey = z.output<typeof newApiKeySchema>
export type ListKeysReturnType = z.output<typeof apiKeyListResponseSchema>

/** A policy document; the server checks it whole and answers POLICY_INVALID naming every problem. */
export type SetPolicyParameters = z.input<typeof policyDocumentSchema>
export type SetPolicyReturnType = z.output<typeof setPolicyResponseSchema>
export type GetPolicyReturnType = z.output<typeof currentPolicyResponseSchema>
export type ListPolicyVersionsReturnType = z.output<typeof policyVersionsResponseSchema>
export type ReplayPolicyParameters = z.input<typeof replayRequestSchema>
export type ReplayPolicyReturnType = z.output<typeof replayResponseSchema>

// The query schemas coerce strings from the URL (their input type is `unknown`); callers pass numbers.
export type OwnerListIntentsParameters = Omit<z.input<typeof intentListQuerySchema>, 'limit'> & {
  limit?: number
}
export type OwnerListIntentsReturnType = z.output<typeof intentListResponseSchema>
export type ListIntentEventsReturnType = z.output<typeof intentEventsResponseSchema>
export type DryRunIntentReturnType = z.output<typeof dryRunResponseSchema>

export type ListApprovalsParameters = Omit<z.input<typeof approvalListQuerySchema>, 'limit'> & {
  limit?: number
}
export type ListApprovalsReturnType = z.output<typeof approvalListResponseSchema>

/** A second factor proven in the request itself: `{ totp_code }`, `{ recovery_code }` or `{ passkey }` (an assertion). */
export type SecondFactor = z.input<typeof secondFactorSchema>

export type GetBalancesParameters = z.input<typeof balanceQuerySchema>

export type TripParameters = z.input<typeof tripRequestSchema>
export type TripReturnType = z.output<typeof tripResponseSchema>
export type ListBreakersReturnType = z.output<typeof breakerListResponseSchema>

export type ListAuditParameters = Omit<z.input<typeof auditQuerySchema>, 'after_seq' | 'limit'> & {
  after_seq?: number
  limit?: number
}
export type ListAuditReturnType = z.output<typeof auditPageSchema>
export type AuditHead = z.output<typeof auditHeadSchema>
export type AuditSignedHead = z.output<typeof signedHeadSchema>

// Sessions come back as bearer tokens: the SDK has no cookie jar, so it always asks for `session: 'token'`.
export type SignUpParameters = Omit<z.input<typeof signUpRequestSchema>, 'session'>
export type LoginParameters = Omit<z.input<typeof loginRequestSchema>, 'session'>
/** The account, its organisations and the new session, with its bearer token (`bsr_ses_…`), shown once. */
export type LoginReturnType = z.output<typeof loginResponseSchema> & { token: string }
export type MeReturnType = z.output<typeof meResponseSchema>
export type Session = z.output<typeof sessionSchema>
export type ListSessionsReturnType = { data: Session[] }
export type StepUpReturnType = z.output<typeof stepUpResponseSchema>
/** The password again: a session alone cannot add a second factor. */
export type StartTotpEnrolmentParameters = z.input<typeof totpStartRequestSchema>
/** The otpauth URI (its secret is shown once) and the same as a QR code. */
export type TotpEnrolment = z.output<typeof totpEnrolmentSchema>
/** Shown once: each works once, in place of a TOTP code. */
export type RecoveryCodes = z.output<typeof recoveryCodesSchema>

export type Member = z.output<typeof memberSchema>
export type MemberRole = Member['role']
export type ListMembersReturnType = { data: Member[] }
export type InviteParameters = z.input<typeof invitationRequestSchema>
/** An invitation: `token` (which signs the invited person up) is in this response and nowhere else. */
export type Invitation = z.output<typeof invitationSchema>
export type ServiceToken = z.output<typeof serviceTokenSchema>
export type ListServiceTokensReturnType = { data: ServiceToken[] }
export type CreateServiceTokenParameters = z.input<typeof serviceTokenRequestSchema>
/** A new service token: `token` is in this response and nowhere else. */
export type NewServiceToken = z.output<typeof createdServiceTokenSchema>

export type OwnerClient = {
  createAgent(parameters: CreateAgentParameters): Promise<CreateAgentReturnType>
  listAgents(): Promise<ListAgentsReturnType>
  getAgent(agentId: string): Promise<Agent>
  pauseAgent(agentId: string): Promise<Agent>
  resumeAgent(agentId: string): Promise<Agent>
  /** Revokes its keys and cancels what is queued; the history stays. */
  deleteAgent(agentId: string): Promise<Agent>
  /** Trips the agent's circuit breaker: no new intents, nothing signed, until `unfreezeAgent`. */
  freezeAgent(agentId: string, parameters?: TripParameters): Promise<TripReturnType>
  unfreezeAgent(agentId: string): Promise<Breaker>

  listKeys(agentId: string): Promise<ListKeysReturnType>
  createKey(agentId: string, parameters?: CreateKeyParameters): Promise<NewApiKey>
  revokeKey(agentId: string, keyId: string): Promise<ApiKey>
  /** Issues a new key and revokes this one. */
  rotateKey(agentId: string, keyId: string): Promise<NewApiKey>

  getPolicy(agentId: string): Promise<GetPolicyReturnType>
  setPolicy(agentId: string, document: SetPolicyParameters): Promise<SetPolicyReturnType>
  /** Every version, oldest first. */
  listPolicyVersions(agentId: string): Promise<ListPolicyVersionsReturnType>
  /** Re-evaluates the agent's past intents under a draft policy; nothing is changed. */
  replayPolicy(agentId: string, parameters: ReplayPolicyParameters): Promise<ReplayPolicyReturnType>

  /** Newest first; pass `next_cursor` back as `cursor` for the next page. */
  listIntents(parameters?: OwnerListIntentsParameters): Promise<OwnerListIntentsReturnType>
  getIntent(intentId: string): Promise<Intent>
  listIntentEvents(intentId: string): Promise<ListIntentEventsReturnType>
  cancelIntent(intentId: string): Promise<Intent>
  /** Evaluates an intent against the agent's policy without effect, with the explanation. */
  dryRunIntent(agentId: string, intent: IntentRequest): Promise<DryRunIntentReturnType>

  /** Your agents' approval requests, newest first (`status: 'pending'` for what waits on you). */
  listApprovals(parameters?: ListApprovalsParameters): Promise<ListApprovalsReturnType>
  /** One request: the decoded action, the rules that asked, the quorum so far and the time left. */
  getApproval(approvalId: string): Promise<Approval>
  /**
   * Approves with a second factor; once the quorum is met the intent goes to the signer (after any timelock).
   * Needs an approver's session: a service token is refused with NOT_AN_APPROVER.
   */
  approve(approvalId: string, secondFactor: SecondFactor): Promise<Approval>
  /** Denies with a second factor: the intent ends `denied` and its reservation returns. Needs a session, as `approve`. */
  deny(approvalId: string, secondFactor: SecondFactor): Promise<Approval>

  getWallet(walletId: string): Promise<Wallet>
  getBalances(walletId: string, parameters?: GetBalancesParameters): Promise<Balances>

  listBreakers(): Promise<ListBreakersReturnType>
  /** Trips the global breaker: no intent of any agent is accepted or signed until `resetHalt`. */
  halt(parameters?: TripParameters): Promise<TripReturnType>
  resetHalt(): Promise<Breaker>

  /** Entries after `after_seq`; pass `next_after_seq` back for the next page. */
  listAudit(parameters?: ListAuditParameters): Promise<ListAuditReturnType>
  getAuditHead(): Promise<AuditHead>
  /** The signed head with the key to check it: keep copies outside Bursar. */
  getAuditCheckpoint(): Promise<AuditSignedHead>

  /**
   * With an invitation (`invite`; the first person after setup is invited with the setup token). Only on an instance
   * with no organisation at all may someone sign up uninvited.
   */
  signUp(parameters: SignUpParameters): Promise<LoginReturnType>
  /** Once TOTP is enabled, `totp_code` (or `recovery_code`) is required too; failures are throttled. */
  login(parameters: LoginParameters): Promise<LoginReturnType>
  /** The signed-in account, its organisations, the one this client acts in, and this session. */
  me(): Promise<MeReturnType>
  /** Ends this client's session. */
  logout(): Promise<Session>
  /** This account's live sessions, newest first; `current` marks this one. */
  listSessions(): Promise<ListSessionsReturnType>
  /** Ends one of this account's sessions (another device). */
  revokeSession(sessionId: string): Promise<Session>
  /** Proves a second factor now: sensitive actions (invitations, service tokens, roles) pass for five minutes. */
  stepUp(secondFactor: SecondFactor): Promise<StepUpReturnType>
  /** Starts TOTP enrolment; it takes effect when `confirmTotp` sends the first code from the app. */
  startTotpEnrolment(parameters: StartTotpEnrolmentParameters): Promise<TotpEnrolment>
  /** Confirms TOTP with a first code (counts as a step-up); returns the recovery codes. */
  confirmTotp(code: string): Promise<RecoveryCodes>

  listMembers(): Promise<ListMembersReturnType>
  /** Admins, after step-up; the organisation always keeps an admin (LAST_ADMIN). */
  setMemberRole(accountId: string, role: MemberRole): Promise<Member>
  removeMember(accountId: string): Promise<Member>
  /** Admins, after step-up; `instance_admin: true` only from the instance admin (or the setup token). */
  invite(parameters: InviteParameters): Promise<Invitation>
  /** Revoked ones included. */
  listServiceTokens(): Promise<ListServiceTokensReturnType>
  /** Admins, after step-up. A service token can read and manage, never approve. */
  createServiceToken(parameters: CreateServiceTokenParameters): Promise<NewServiceToken>
  revokeServiceToken(tokenId: string): Promise<ServiceToken>
}

/**
 * @example
 * const owner = createOwnerClient({ url: 'http://127.0.0.1:8420', token: process.env.BURSAR_OWNER_TOKEN! })
 * const { agent, api_key } = await owner.createAgent({ name: 'buyer' })
 * await owner.setPolicy(agent.id, { limits: { perTransaction: [{ asset: 'anvil:native', max: '1000' }] } })
 *
 * @example
 * // A person approves: log in for a session, then decide with a fresh TOTP code.
 * const { token } = await createOwnerClient({ url }).login({ email, password, totp_code: '123456' })
 * const me = createOwnerClient({ url, token })
 * const [request] = (await me.listApprovals({ status: 'pending' })).data
 * await me.approve(request!.id, { totp_code: '654321' })
 */
export function createOwnerClient(parameters: OwnerClientParameters): OwnerClient {
  const fetchOption = parameters.fetch ? { fetch: parameters.fetch } : {}
  const transport: Transport = {
    url: parameters.url,
    ...(parameters.token === undefined ? {} : { apiKey: parameters.token }),
    ...fetchOption,
  }
  // Sign-up and login send no credential: a stale token has nothing to do with them.
  const anonymous: Transport = { url: parameters.url, ...fetchOption }
  const agentPath = (agentId: string) => `v1/agents/${encodeURIComponent(agentId)}`
  const keyPath = (agentId: string, keyId: string) =>
    `${agentPath(agentId)}/keys/${encodeURIComponent(keyId)}`
  const approvalPath = (approvalId: string) => `v1/approvals/${encodeURIComponent(approvalId)}`
  const memberPath = (accountId: string) => `v1/members/${encodeURIComponent(accountId)}`
  return {
    createAgent: (body) => request(transport, 'POST', 'v1/agents', { body }),
    listAgents: () => request(transport, 'GET', 'v1/agents'),
    getAgent: (agentId) => request(transport, 'GET', agentPath(agentId)),
    pauseAgent: (agentId) => request(transport, 'POST', `${agentPath(agentId)}/pause`),
    resumeAgent: (agentId) => request(transport, 'POST', `${agentPath(agentId)}/resume`),
    deleteAgent: (agentId) => request(transport, 'DELETE', agentPath(agentId)),
    freezeAgent: (agentId, body = {}) => request(transport, 'POST', `${agentPath(agentId)}/freeze`, { body }),
    unfreezeAgent: (agentId) => request(transport, 'POST', `${agentPath(agentId)}/unfreeze`),

    listKeys: (agentId) => request(transport, 'GET', `${agentPath(agentId)}/keys`),
    createKey: (agentId, body = {}) => request(transport, 'POST', `${agentPath(agentId)}/keys`, { body }),
    revokeKey: (agentId, keyId) => request(transport, 'DELETE', keyPath(agentId, keyId)),
    rotateKey: (agentId, keyId) => request(transport, 'POST', `${keyPath(agentId, keyId)}/rotate`),

    getPolicy: (agentId) => request(transport, 'GET', `${agentPath(agentId)}/policy`),
    setPolicy: (agentId, document) =>
      request(transport, 'PUT', `${agentPath(agentId)}/policy`, { body: document }),
    listPolicyVersions: (agentId) => request(transport, 'GET', `${agentPath(agentId)}/policy/versions`),
    replayPolicy: (agentId, body) =>
      request(transport, 'POST', `${agentPath(agentId)}/policy/replay`, { body }),

    listIntents: (query = {}) => request(transport, 'GET', 'v1/intents', { query }),
    getIntent: (intentId) => request(transport, 'GET', `v1/intents/${encodeURIComponent(intentId)}`),
    listIntentEvents: (intentId) =>
      request(transport, 'GET', `v1/intents/${encodeURIComponent(intentId)}/events`),
    cancelIntent: (intentId) =>
      request(transport, 'POST', `v1/intents/${encodeURIComponent(intentId)}/cancel`),
    // Checked locally with the server's own schema, as the agent's sendIntent is.
    dryRunIntent: async (agentId, intent) =>
      request(transport, 'POST', 'v1/intents/dry-run', {
        body: parseIntentRequest(intent),
        query: { agent_id: agentId },
      }),

    listApprovals: (query = {}) => request(transport, 'GET', 'v1/approvals', { query }),
    getApproval: (approvalId) => request(transport, 'GET', approvalPath(approvalId)),
    approve: (approvalId, secondFactor) =>
      request(transport, 'POST', `${approvalPath(approvalId)}/approve`, {
        body: { second_factor: secondFactor },
      }),
    deny: (approvalId, secondFactor) =>
      request(transport, 'POST', `${approvalPath(approvalId)}/deny`, {
        body: { second_factor: secondFactor },
      }),

    getWallet: (walletId) => request(transport, 'GET', `v1/wallets/${encodeURIComponent(walletId)}`),
    getBalances: (walletId, query = {}) =>
      request(transport, 'GET', `v1/wallets/${encodeURIComponent(walletId)}/balances`, { query }),

    listBreakers: () => request(transport, 'GET', 'v1/breakers'),
    halt: (body = {}) => request(transport, 'POST', 'v1/halt', { body }),
    resetHalt: () => request(transport, 'POST', 'v1/halt/reset'),

    listAudit: (query = {}) => request(transport, 'GET', 'v1/audit', { query }),
    getAuditHead: () => request(transport, 'GET', 'v1/audit/head'),
    getAuditCheckpoint: () => request(transport, 'GET', 'v1/audit/checkpoint'),

    signUp: (body) => request(anonymous, 'POST', 'v1/auth/sign-up', { body: { ...body, session: 'token' } }),
    login: (body) => request(anonymous, 'POST', 'v1/auth/login', { body: { ...body, session: 'token' } }),
    me: () => request(transport, 'GET', 'v1/auth/me'),
    logout: () => request(transport, 'POST', 'v1/auth/logout'),
    listSessions: () => request(transport, 'GET', 'v1/auth/sessions'),
    revokeSession: (sessionId) =>
      request(transport, 'DELETE', `v1/auth/sessions/${encodeURIComponent(sessionId)}`),
    stepUp: (secondFactor) => request(transport, 'POST', 'v1/auth/step-up', { body: secondFactor }),
    startTotpEnrolment: (body) => request(transport, 'POST', 'v1/auth/totp', { body }),
    confirmTotp: (code) => request(transport, 'POST', 'v1/auth/totp/confirm', { body: { code } }),

    listMembers: () => request(transport, 'GET', 'v1/members'),
    setMemberRole: (accountId, role) => request(transport, 'PUT', memberPath(accountId), { body: { role } }),
    removeMember: (accountId) => request(transport, 'DELETE', memberPath(accountId)),
    invite: (body) => request(transport, 'POST', 'v1/invitations', { body }),
    listServiceTokens: () => request(transport, 'GET', 'v1/service-tokens'),
    createServiceToken: (body) => request(transport, 'POST', 'v1/service-tokens', { body }),
    revokeServiceToken: (tokenId) =>
      request(transport, 'DELETE', `v1/service-tokens/${encodeURIComponent(tokenId)}`),
  }
}
