/**
 * The owner's client: agents and their keys, policies, intents, approval requests, wallets, circuit breakers and the
 * audit log.
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
  currentPolicyResponseSchema,
  dryRunResponseSchema,
  Intent,
  IntentRequest,
  intentEventsResponseSchema,
  intentListQuerySchema,
  intentListResponseSchema,
  newApiKeySchema,
  policyVersionsResponseSchema,
  replayRequestSchema,
  replayResponseSchema,
  setPolicyResponseSchema,
  signedHeadSchema,
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
  /** An owner token (`bsr_owner_…`). */
  token: string
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
}

/**
 * @example
 * const owner = createOwnerClient({ url: 'http://127.0.0.1:8420', token: process.env.BURSAR_OWNER_TOKEN! })
 * const { agent, api_key } = await owner.createAgent({ name: 'buyer' })
 * await owner.setPolicy(agent.id, { limits: { perTransaction: [{ asset: 'anvil:native', max: '1000' }] } })
 */
export function createOwnerClient(parameters: OwnerClientParameters): OwnerClient {
  const transport: Transport = {
    url: parameters.url,
    apiKey: parameters.token,
    ...(parameters.fetch ? { fetch: parameters.fetch } : {}),
  }
  const agentPath = (agentId: string) => `v1/agents/${encodeURIComponent(agentId)}`
  const keyPath = (agentId: string, keyId: string) =>
    `${agentPath(agentId)}/keys/${encodeURIComponent(keyId)}`
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
    getApproval: (approvalId) => request(transport, 'GET', `v1/approvals/${encodeURIComponent(approvalId)}`),

    getWallet: (walletId) => request(transport, 'GET', `v1/wallets/${encodeURIComponent(walletId)}`),
    getBalances: (walletId, query = {}) =>
      request(transport, 'GET', `v1/wallets/${encodeURIComponent(walletId)}/balances`, { query }),

    listBreakers: () => request(transport, 'GET', 'v1/breakers'),
    halt: (body = {}) => request(transport, 'POST', 'v1/halt', { body }),
    resetHalt: () => request(transport, 'POST', 'v1/halt/reset'),

    listAudit: (query = {}) => request(transport, 'GET', 'v1/audit', { query }),
    getAuditHead: () => request(transport, 'GET', 'v1/audit/head'),
    getAuditCheckpoint: () => request(transport, 'GET', 'v1/audit/checkpoint'),
  }
}
