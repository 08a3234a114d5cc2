/**
 * Authorization of every HTTP route: missing, malformed, unknown and revoked credentials; agents confined to
 * their own intents and wallets; owner-only endpoints closed to agents; owners confined to their own agents.
 * The route table is checked against what the app actually registers, so a new route cannot go untested.
 */
import { createAuditVerifier, finishAuditVerification } from '@bursar/core/audit'
import type { ErrorCode } from '@bursar/core/errors'
import { getApprovalRequestByIntent, insertOrganisationWithToken } from '@bursar/store'
import {
  countIntentRows,
  listApiKeyRows,
  listAuditRows,
  revokeServiceToken,
  snapshotRows,
} from '@bursar/store/test-support'
import { testOperatorToken } from '@bursar/testing/bursar'
import { useTestStack } from '@bursar/testing/stack'
import type { FastifyInstance } from 'fastify'
import { generateSync } from 'otplib'
import { beforeAll, describe, expect, test } from 'vitest'
import type { Access } from '../src/http/Route.ts'
import { docsPrefix } from '../src/routes/openapi.ts'
import { routeTable } from '../src/routes/routeTable.ts'

const ether = 10n ** 18n
const recipient = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
const permissivePolicy = { limits: { perTransaction: [{ asset: 'anvil:native', max: ether.toString() }] } }
/** Every transfer waits for an approval: agent A2's intent has an approval request of owner A. */
const approvalPolicy = {
  ...permissivePolicy,
  approvals: { approvers: ['role:approver'], rules: [{ asset: 'anvil:native', above: '0' }] },
}
const transfer = { type: 'transfer', network: 'anvil', to: recipient, amount: '1' }

/**
 * ownerA / ownerB: admin service tokens of organisations A and B (A's is the instance admin's, made at setup);
 * sessionA: A's admin, a person with TOTP and a stepped-up session; lena: a viewer of A signed in by session;
 * viewerA: a viewer service token of A; sessionB: an admin of B signed in by session.
 */
type Who =
  | 'agentA'
  | 'agentA2'
  | 'agentB'
  | 'victimAgent'
  | 'ownerA'
  | 'ownerB'
  | 'operator'
  | 'sessionA'
  | 'lena'
  | 'viewerA'
  | 'sessionB'

type Fixtures = {
  tokens: Record<Who, string>
  revokedAgentKey: string
  revokedOwnerToken: string
  agentA: { agentId: string; walletId: string }
  agentA2: { agentId: string; walletId: string }
  agentB: { agentId: string; walletId: string }
  /** Owner A's agent that the owner-only routes act on (paused, re-keyed and finally deleted). */
  victim: { agentId: string; walletId: string; keyToRevoke: string; keyToRotate: string }
  intentA: string
  intentA2: string
  intentB: string
  /** The approval request of intentA2 (owner A's). */
  approvalA2: string
  /** Another of A's approval requests (of intentA3, agent A2's), for the deny check. */
  approvalA3: string
  intentA3: string
  /** Recovery codes of sessionA's account, each used once by a success check. */
  recoveryA: string[]
  totpSecretA: string
  /** A second session of sessionA's account, ended by the success check of DELETE /v1/auth/sessions/:id. */
  spareSessionA: string
  /** An invitation nobody used, for the sign-up check. */
  spareInvitation: string
  /** A viewer member of A whose role the member checks change, then remove. */
  mia: string
  /** A service token of A that the revocation check revokes. */
  spareToken: string
  /** A's webhook endpoints: one read, rotated and replayed, one disabled; and one of its deliveries. */
  webhook: string
  webhookToDisable: string
  delivery: string
  /** The agent made so the webhooks had an event to deliver. */
  hookAgent: string
}

type Row = {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** As registered with Fastify. */
  route: string
  auth: Access
  /** The concrete path, on owner A's / agent A's resources. */
  path: (fx: Fixtures) => string
  body?: (fx: Fixtures) => unknown
  /** Who the success check calls as, when not the usual caller for the access. */
  by?: Who[]
  /**
   * Status the rightful caller gets: a success, except where the check can only show that authorization let the
   * caller through to the body's own refusal (a TOTP code or passkey answer nobody could forge, a passkey id that
   * does not exist).
   */
  ok: number
  /** Callers for whom the resource must not exist, and the 404 code they get. */
  hidden?: { from: Who[]; code: ErrorCode }
}

const otherAgents: Who[] = ['agentA2', 'agentB', 'ownerB']
const password = 'correct horse battery staple'

/** Table order is also the order of the success checks at the end: destructive rows come last. */
const routes: Row[] = [
  { method: 'GET', route: '/healthz', auth: 'none', path: () => '/healthz', ok: 200 },
  { method: 'GET', route: '/readyz', auth: 'operator', path: () => '/readyz', ok: 200 },
  { method: 'GET', route: '/metrics', auth: 'operator', path: () => '/metrics', ok: 200 },
  { method: 'GET', route: '/openapi.json', auth: 'none', path: () => '/openapi.json', ok: 200 },
  { method: 'GET', route: '/docs', auth: 'none', path: () => '/docs', ok: 200 },
  { method: 'GET', route: '/docs/', auth: 'none', path: () => '/docs/', ok: 200 },
  { method: 'GET', route: '/docs/js/scalar.js', auth: 'none', path: () => '/docs/js/scalar.js', ok: 200 },
  {
    method: 'POST',
    route: '/v1/intents',
    auth: 'agent',
    path: () => '/v1/intents',
    body: () => transfer,
    ok: 201,
  },
  { method: 'GET', route: '/v1/intents', auth: 'any', path: () => '/v1/intents', ok: 200 },
  {
    method: 'POST',
    route: '/v1/intents/dry-run',
    auth: 'any',
    // Agents dry-run for themselves (the query is ignored); owners name the agent.
    path: (fx) => `/v1/intents/dry-run?agent_id=${fx.agentA.agentId}`,
    body: () => transfer,
    ok: 200,
    hidden: { from: ['ownerB'], code: 'AGENT_NOT_FOUND' },
  },
  { method: 'GET', route: '/v1/breakers', auth: 'viewer', path: () => '/v1/breakers', ok: 200 },
  {
    method: 'GET',
    route: '/v1/events',
    auth: 'viewer',
    path: () => '/v1/events?after_seq=0&follow=false',
    ok: 200,
  },
  {
    method: 'GET',
    route: '/v1/intents/:id',
    auth: 'any',
    path: (fx) => `/v1/intents/${fx.intentA}`,
    ok: 200,
    hidden: { from: otherAgents, code: 'INTENT_NOT_FOUND' },
  },
  {
    method: 'GET',
    route: '/v1/intents/:id/events',
    auth: 'any',
    path: (fx) => `/v1/intents/${fx.intentA}/events`,
    ok: 200,
    hidden: { from: otherAgents, code: 'INTENT_NOT_FOUND' },
  },
  {
    method: 'POST',
    route: '/v1/intents/:id/cancel',
    auth: 'any',
    path: (fx) => `/v1/intents/${fx.intentA}/cancel`,
    ok: 200,
    hidden: { from: otherAgents, code: 'INTENT_NOT_FOUND' },
  },
  { method: 'GET', route: '/v1/approvals', auth: 'viewer', path: () => '/v1/approvals', ok: 200 },
  {
    method: 'GET',
    route: '/v1/approvals/:id',
    auth: 'viewer',
    path: (fx) => `/v1/approvals/${fx.approvalA2}`,
    ok: 200,
    hidden: { from: ['ownerB'], code: 'APPROVAL_NOT_FOUND' },
  },
  {
    method: 'POST',
    route: '/v1/auth/sign-up',
    auth: 'none',
    path: () => '/v1/auth/sign-up',
    body: (fx) => ({ email: 'late@example.com', password, invitation: fx.spareInvitation }),
    ok: 201,
  },
  {
    method: 'POST',
    route: '/v1/auth/login',
    auth: 'none',
    path: () => '/v1/auth/login',
    body: () => ({ email: 'lena@example.com', password }),
    ok: 200,
  },
  {
    method: 'GET',
    route: '/v1/auth/me',
    auth: 'session',
    path: () => '/v1/auth/me',
    ok: 200,
    by: ['sessionA'],
  },
  {
    method: 'GET',
    route: '/v1/auth/sessions',
    auth: 'session',
    path: () => '/v1/auth/sessions',
    ok: 200,
    by: ['sessionA'],
  },
  {
    method: 'DELETE',
    route: '/v1/auth/sessions/:id',
    auth: 'session',
    path: (fx) => `/v1/auth/sessions/${fx.spareSessionA}`,
    ok: 200,
    by: ['sessionA'],
    hidden: { from: ['lena', 'sessionB'], code: 'SESSION_NOT_FOUND' },
  },
  {
    method: 'POST',
    route: '/v1/auth/password',
    auth: 'session',
    path: () => '/v1/auth/password',
    body: () => ({ current_password: password, new_password: `${password} again` }),
    ok: 200,
    by: ['lena'],
  },
  {
    method: 'POST',
    route: '/v1/auth/totp',
    auth: 'session',
    path: () => '/v1/auth/totp',
    // Lena's password as the password check before this one changed it.
    body: () => ({ password: `${password} again` }),
    ok: 200,
    by: ['lena'],
  },
  {
    method: 'POST',
    route: '/v1/auth/totp/confirm',
    auth: 'session',
    path: () => '/v1/auth/totp/confirm',
    body: () => ({ code: '000000' }),
    ok: 401,
    by: ['lena'],
  },
  {
    method: 'POST',
    route: '/v1/auth/step-up',
    auth: 'session',
    path: () => '/v1/auth/step-up',
    // The next step's code: sessionA's enrolment used the current one at most.
    body: (fx) => ({
      totp_code: generateSync({ secret: fx.totpSecretA, epoch: (Math.floor(Date.now() / 30_000) + 1) * 30 }),
    }),
    ok: 200,
    by: ['sessionA'],
  },
  {
    method: 'POST',
    route: '/v1/auth/passkeys/options',
    auth: 'session',
    path: () => '/v1/auth/passkeys/options',
    ok: 200,
    by: ['sessionA'],
  },
  {
    method: 'POST',
    route: '/v1/auth/passkeys',
    auth: 'session',
    path: () => '/v1/auth/passkeys',
    body: () => ({
      response: {
        id: 'x',
        rawId: 'x',
        type: 'public-key',
        response: { clientDataJSON: 'e30', attestationObject: 'oA' },
      },
    }),
    ok: 401,
    by: ['sessionA'],
  },
  {
    method: 'GET',
    route: '/v1/auth/passkeys',
    auth: 'session',
    path: () => '/v1/auth/passkeys',
    ok: 200,
    by: ['sessionA'],
  },
  {
    method: 'DELETE',
    route: '/v1/auth/passkeys/:id',
    auth: 'session',
    path: () => '/v1/auth/passkeys/psk_none',
    ok: 404,
    by: ['sessionA'],
  },
  {
    method: 'POST',
    route: '/v1/auth/step-up/options',
    auth: 'session',
    path: () => '/v1/auth/step-up/options',
    ok: 200,
    by: ['sessionA'],
  },
  {
    method: 'POST',
    route: '/v1/auth/passkey-login/options',
    auth: 'none',
    path: () => '/v1/auth/passkey-login/options',
    ok: 200,
  },
  {
    method: 'POST',
    route: '/v1/auth/passkey-login',
    auth: 'none',
    path: () => '/v1/auth/passkey-login',
    body: () => ({
      response: {
        id: 'x',
        rawId: 'x',
        type: 'public-key',
        response: { clientDataJSON: 'e30', authenticatorData: 'AA', signature: 'AA' },
      },
    }),
    ok: 401,
  },
  { method: 'GET', route: '/v1/members', auth: 'viewer', path: () => '/v1/members', ok: 200 },
  {
    method: 'PUT',
    route: '/v1/members/:accountId',
    auth: 'admin',
    path: (fx) => `/v1/members/${fx.mia}`,
    body: () => ({ role: 'approver' }),
    ok: 200,
    hidden: { from: ['ownerB'], code: 'MEMBER_NOT_FOUND' },
  },
  {
    method: 'POST',
    route: '/v1/invitations',
    auth: 'admin',
    path: () => '/v1/invitations',
    body: () => ({ email: 'someone@example.com', role: 'viewer' }),
    ok: 201,
  },
  { method: 'GET', route: '/v1/service-tokens', auth: 'admin', path: () => '/v1/service-tokens', ok: 200 },
  {
    method: 'POST',
    route: '/v1/service-tokens',
    auth: 'admin',
    path: () => '/v1/service-tokens',
    body: () => ({ name: 'ci', role: 'viewer' }),
    ok: 201,
  },
  {
    method: 'DELETE',
    route: '/v1/service-tokens/:id',
    auth: 'admin',
    path: (fx) => `/v1/service-tokens/${fx.spareToken}`,
    ok: 200,
    hidden: { from: ['ownerB', 'sessionB'], code: 'SERVICE_TOKEN_NOT_FOUND' },
  },
  {
    method: 'POST',
    route: '/v1/approvals/:id/approve',
    auth: 'approver',
    path: (fx) => `/v1/approvals/${fx.approvalA2}/approve`,
    body: (fx) => ({ second_factor: { recovery_code: fx.recoveryA[0] } }),
    ok: 200,
    by: ['sessionA'],
    hidden: { from: ['ownerB', 'sessionB'], code: 'APPROVAL_NOT_FOUND' },
  },
  {
    method: 'POST',
    route: '/v1/approvals/:id/deny',
    auth: 'approver',
    path: (fx) => `/v1/approvals/${fx.approvalA3}/deny`,
    body: (fx) => ({ second_factor: { recovery_code: fx.recoveryA[1] } }),
    ok: 200,
    by: ['sessionA'],
    hidden: { from: ['ownerB', 'sessionB'], code: 'APPROVAL_NOT_FOUND' },
  },
  {
    method: 'POST',
    route: '/v1/webhooks',
    auth: 'admin',
    path: () => '/v1/webhooks',
    body: () => ({ url: 'http://127.0.0.1:9/hook', event_types: ['intent.*'] }),
    ok: 201,
  },
  { method: 'GET', route: '/v1/webhooks', auth: 'admin', path: () => '/v1/webhooks', ok: 200 },
  {
    method: 'GET',
    route: '/v1/webhooks/:id',
    auth: 'admin',
    path: (fx) => `/v1/webhooks/${fx.webhook}`,
    ok: 200,
    hidden: { from: ['ownerB'], code: 'WEBHOOK_NOT_FOUND' },
  },
  {
    method: 'POST',
    route: '/v1/webhooks/:id/rotate',
    auth: 'admin',
    path: (fx) => `/v1/webhooks/${fx.webhook}/rotate`,
    ok: 201,
    hidden: { from: ['ownerB'], code: 'WEBHOOK_NOT_FOUND' },
  },
  {
    method: 'GET',
    route: '/v1/webhooks/:id/deliveries',
    auth: 'admin',
    path: (fx) => `/v1/webhooks/${fx.webhook}/deliveries`,
    ok: 200,
    hidden: { from: ['ownerB'], code: 'WEBHOOK_NOT_FOUND' },
  },
  {
    method: 'GET',
    route: '/v1/webhooks/:id/deliveries/:deliveryId',
    auth: 'admin',
    path: (fx) => `/v1/webhooks/${fx.webhook}/deliveries/${fx.delivery}`,
    ok: 200,
    hidden: { from: ['ownerB'], code: 'DELIVERY_NOT_FOUND' },
  },
  {
    method: 'POST',
    route: '/v1/webhooks/:id/deliveries/:deliveryId/replay',
    auth: 'admin',
    path: (fx) => `/v1/webhooks/${fx.webhook}/deliveries/${fx.delivery}/replay`,
    ok: 201,
    hidden: { from: ['ownerB'], code: 'DELIVERY_NOT_FOUND' },
  },
  {
    method: 'DELETE',
    route: '/v1/webhooks/:id',
    auth: 'admin',
    path: (fx) => `/v1/webhooks/${fx.webhookToDisable}`,
    ok: 200,
    hidden: { from: ['ownerB'], code: 'WEBHOOK_NOT_FOUND' },
  },
  { method: 'GET', route: '/v1/wallets', auth: 'agent', path: () => '/v1/wallets', ok: 200 },
  {
    method: 'GET',
    route: '/v1/wallets/:id',
    auth: 'any',
    path: (fx) => `/v1/wallets/${fx.agentA.walletId}`,
    ok: 200,
    hidden: { from: otherAgents, code: 'WALLET_NOT_FOUND' },
  },
  {
    method: 'GET',
    route: '/v1/wallets/:id/balances',
    auth: 'any',
    path: (fx) => `/v1/wallets/${fx.agentA.walletId}/balances`,
    ok: 200,
    hidden: { from: otherAgents, code: 'WALLET_NOT_FOUND' },
  },
  { method: 'GET', route: '/v1/audit', auth: 'viewer', path: () => '/v1/audit', ok: 200 },
  { method: 'GET', route: '/v1/audit/head', auth: 'viewer', path: () => '/v1/audit/head', ok: 200 },
  {
    method: 'GET',
    route: '/v1/audit/checkpoint',
    auth: 'viewer',
    path: () => '/v1/audit/checkpoint',
    ok: 200,
  },
  {
    method: 'POST',
    route: '/v1/agents',
    auth: 'admin',
    path: () => '/v1/agents',
    body: () => ({ name: 'made by the success check', create_api_key: false }),
    ok: 201,
  },
  { method: 'GET', route: '/v1/agents', auth: 'viewer', path: () => '/v1/agents', ok: 200 },
  {
    method: 'GET',
    route: '/v1/agents/:id',
    auth: 'viewer',
    path: (fx) => `/v1/agents/${fx.victim.agentId}`,
    ok: 200,
    hidden: { from: ['ownerB'], code: 'AGENT_NOT_FOUND' },
  },
  {
    method: 'GET',
    route: '/v1/agents/:id/keys',
    auth: 'viewer',
    path: (fx) => `/v1/agents/${fx.victim.agentId}/keys`,
    ok: 200,
    hidden: { from: ['ownerB'], code: 'AGENT_NOT_FOUND' },
  },
  {
    method: 'POST',
    route: '/v1/agents/:id/keys',
    auth: 'admin',
    path: (fx) => `/v1/agents/${fx.victim.agentId}/keys`,
    body: () => ({ name: 'extra' }),
    ok: 201,
    hidden: { from: ['ownerB'], code: 'AGENT_NOT_FOUND' },
  },
  {
    method: 'GET',
    route: '/v1/agents/:id/policy',
    auth: 'viewer',
    path: (fx) => `/v1/agents/${fx.victim.agentId}/policy`,
    ok: 200,
    hidden: { from: ['ownerB'], code: 'AGENT_NOT_FOUND' },
  },
  {
    method: 'GET',
    route: '/v1/agents/:id/policy/versions',
    auth: 'viewer',
    path: (fx) => `/v1/agents/${fx.victim.agentId}/policy/versions`,
    ok: 200,
    hidden: { from: ['ownerB'], code: 'AGENT_NOT_FOUND' },
  },
  {
    method: 'PUT',
    route: '/v1/agents/:id/policy',
    auth: 'admin',
    path: (fx) => `/v1/agents/${fx.victim.agentId}/policy`,
    body: () => permissivePolicy,
    ok: 200,
    hidden: { from: ['ownerB'], code: 'AGENT_NOT_FOUND' },
  },
  {
    method: 'POST',
    route: '/v1/agents/:id/policy/replay',
    auth: 'viewer',
    path: (fx) => `/v1/agents/${fx.victim.agentId}/policy/replay`,
    body: () => ({ policy: permissivePolicy, since: '1d' }),
    ok: 200,
    hidden: { from: ['ownerB'], code: 'AGENT_NOT_FOUND' },
  },
  {
    method: 'POST',
    route: '/v1/agents/:id/freeze',
    auth: 'approver',
    path: (fx) => `/v1/agents/${fx.victim.agentId}/freeze`,
    body: () => ({ reason: 'authorization test' }),
    ok: 200,
    hidden: { from: ['ownerB'], code: 'AGENT_NOT_FOUND' },
  },
  {
    method: 'POST',
    route: '/v1/agents/:id/unfreeze',
    auth: 'approver',
    path: (fx) => `/v1/agents/${fx.victim.agentId}/unfreeze`,
    ok: 200,
    hidden: { from: ['ownerB'], code: 'AGENT_NOT_FOUND' },
  },
  {
    method: 'POST',
    route: '/v1/agents/:id/pause',
    auth: 'admin',
    path: (fx) => `/v1/agents/${fx.victim.agentId}/pause`,
    ok: 200,
    hidden: { from: ['ownerB'], code: 'AGENT_NOT_FOUND' },
  },
  {
    method: 'POST',
    route: '/v1/agents/:id/resume',
    auth: 'admin',
    path: (fx) => `/v1/agents/${fx.victim.agentId}/resume`,
    ok: 200,
    hidden: { from: ['ownerB'], code: 'AGENT_NOT_FOUND' },
  },
  {
    method: 'DELETE',
    route: '/v1/agents/:id/keys/:keyId',
    auth: 'admin',
    path: (fx) => `/v1/agents/${fx.victim.agentId}/keys/${fx.victim.keyToRevoke}`,
    ok: 200,
    hidden: { from: ['ownerB'], code: 'AGENT_NOT_FOUND' },
  },
  {
    method: 'POST',
    route: '/v1/agents/:id/keys/:keyId/rotate',
    auth: 'admin',
    path: (fx) => `/v1/agents/${fx.victim.agentId}/keys/${fx.victim.keyToRotate}/rotate`,
    ok: 201,
    hidden: { from: ['ownerB'], code: 'AGENT_NOT_FOUND' },
  },
  {
    method: 'DELETE',
    route: '/v1/agents/:id',
    auth: 'admin',
    path: (fx) => `/v1/agents/${fx.victim.agentId}`,
    ok: 200,
    hidden: { from: ['ownerB'], code: 'AGENT_NOT_FOUND' },
  },
  {
    method: 'DELETE',
    route: '/v1/members/:accountId',
    auth: 'admin',
    path: (fx) => `/v1/members/${fx.mia}`,
    ok: 200,
    hidden: { from: ['ownerB'], code: 'MEMBER_NOT_FOUND' },
  },
  {
    method: 'POST',
    route: '/v1/auth/logout',
    auth: 'session',
    path: () => '/v1/auth/logout',
    ok: 200,
    by: ['lena'],
  },
  // Last: a global halt stops every agent until the reset right after it.
  {
    method: 'POST',
    route: '/v1/halt',
    auth: 'instance_admin',
    path: () => '/v1/halt',
    body: () => ({ reason: 'authorization test' }),
    ok: 200,
  },
  { method: 'POST', route: '/v1/halt/reset', auth: 'instance_admin', path: () => '/v1/halt/reset', ok: 200 },
]

const authenticated = routes.filter((row) => row.auth !== 'none')
const memberRoutes: readonly Access[] = ['viewer', 'approver', 'admin', 'instance_admin']
const ownerOnly = routes.filter((row) => memberRoutes.includes(row.auth) || row.auth === 'session')
const agentOnly = routes.filter((row) => row.auth === 'agent')
const withHidden = routes.filter((row) => row.hidden !== undefined)
const rightful = (row: Row): Array<Who | undefined> =>
  row.by !== undefined
    ? row.by
    : row.auth === 'none'
      ? [undefined]
      : row.auth === 'agent'
        ? ['agentA']
        : memberRoutes.includes(row.auth)
          ? ['ownerA']
          : row.auth === 'operator'
            ? ['operator']
            : ['agentA', 'ownerA']

/** Every registered method + route, read from Fastify's route tree (HEAD mirrors of GET left out). */
function registeredRoutes(app: FastifyInstance): string[] {
  const found: string[] = []
  const stack: string[] = []
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    // A child segment may start without a slash (`js/scalar.js` under `/docs/`).
    const match = /^([│├└─ ]*?)([^\s│├└─]\S*)(?: \(([A-Z, ]+)\))?$/.exec(line)
    if (!match) continue
    const depth = match[1]!.length / 4
    const path = (stack[depth - 1] ?? '') + match[2]!
    stack.length = depth
    stack.push(path)
    for (const method of (match[3] ?? '').split(',').map((m) => m.trim())) {
      if (method && method !== 'HEAD') found.push(`${method} ${path}`)
    }
  }
  return found.sort()
}

describe('authorization of every route', () => {
  const stack = useTestStack({
    // No executor: intents stay queued, so cancel succeeds for the rightful caller and nothing moves on its own.
    executor: false,
    // In process (app.inject): who may call what does not depend on a socket.
    listen: false,
  })
  let fx: Fixtures
  let snapshotBefore: unknown

  const call = (row: Row, options: { token?: string; headers?: Record<string, string> } = {}) =>
    stack.bursar.http(row.method, row.path(fx), {
      ...options,
      ...(row.body === undefined ? {} : { body: row.body(fx) }),
    })

  function expectError(response: { status: number; body: unknown }, status: number, code: ErrorCode) {
    const actual = (response.body as { error?: { code?: unknown } } | undefined)?.error?.code
    expect({ status: response.status, code: actual }).toEqual({ status, code })
    expect(response.body).toEqual({
      error: {
        code,
        message: expect.any(String),
        details: expect.any(Object),
        request_id: expect.stringMatching(/^req_[0-9a-f]+$/),
      },
    })
  }

  /** Everything a rejected request could have changed; last-use timestamps, seq and hashes left out. */
  const snapshot = () => snapshotRows(stack.bursar.ctx.db)

  async function submit(token: string) {
    const response = await stack.bursar.http('POST', '/v1/intents', { token, body: transfer })
    expect(response.status).toBe(201)
    return response.body.id as string
  }

  beforeAll(async () => {
    const ownerB = await stack.bursar.ctx.db.transaction((tx) => insertOrganisationWithToken(tx, 'owner B'))
    const ownerC = await stack.bursar.ctx.db.transaction((tx) =>
      insertOrganisationWithToken(tx, 'owner C, token revoked'),
    )
    await revokeServiceToken(stack.bursar.ctx.db, ownerC.tokenId)

    const agentA = await stack.bursar.createAgent({ name: 'A', policy: permissivePolicy })
    const agentA2 = await stack.bursar.createAgent({ name: 'A2', policy: approvalPolicy })
    const victim = await stack.bursar.createAgent({ name: 'victim', policy: permissivePolicy })
    const createdB = await stack.bursar.http('POST', '/v1/agents', {
      token: ownerB.token,
      body: { name: 'B', policy: permissivePolicy },
    })
    expect(createdB.status).toBe(201)
    const agentB = {
      agentId: createdB.body.agent.id as string,
      walletId: createdB.body.agent.wallets[0].id as string,
      address: createdB.body.agent.wallets[0].address as `0x${string}`,
      apiKey: createdB.body.api_key.secret as string,
    }
    for (const { address } of [agentA, agentA2, victim, agentB]) {
      await stack.anvil.testClient.setBalance({ address, value: 10n * ether })
    }
    const newKey = async (agentId: string, name: string) => {
      const response = await stack.bursar.http('POST', `/v1/agents/${agentId}/keys`, {
        token: stack.bursar.ownerToken,
        body: { name },
      })
      expect(response.status).toBe(201)
      return response.body as { id: string; secret: string }
    }
    const revoked = await newKey(agentA.agentId, 'to be revoked')
    const revokedResponse = await stack.bursar.http(
      'DELETE',
      `/v1/agents/${agentA.agentId}/keys/${revoked.id}`,
      {
        token: stack.bursar.ownerToken,
      },
    )
    expect(revokedResponse.status).toBe(200)

    const intentA2 = await submit(agentA2.apiKey)
    const approvalA2 = await getApprovalRequestByIntent(stack.bursar.ctx.db, intentA2)
    const intentA3 = await submit(agentA2.apiKey)
    const approvalA3 = await getApprovalRequestByIntent(stack.bursar.ctx.db, intentA3)

    // People, invited by A's setup token: Ada is A's admin.
    const http = stack.bursar.http
    const signUp = async (email: string, invitation?: string) => {
      const body = { email, password, ...(invitation === undefined ? {} : { invitation }) }
      const response = await http('POST', '/v1/auth/sign-up', { body })
      expect(response.status).toBe(201)
      return response.body as { token: string; account: { id: string } }
    }
    const invite = async (token: string, email: string, role: string) => {
      const response = await http('POST', '/v1/invitations', { token, body: { email, role } })
      expect(response.status).toBe(201)
      return response.body.token as string
    }
    const ada = await signUp(
      'ada@example.com',
      await invite(stack.bursar.ownerToken, 'ada@example.com', 'admin'),
    )
    const started = await http('POST', '/v1/auth/totp', { token: ada.token, body: { password } })
    const totpSecretA = new URL(started.body.uri).searchParams.get('secret')!
    const confirmed = await http('POST', '/v1/auth/totp/confirm', {
      token: ada.token,
      body: { code: generateSync({ secret: totpSecretA, epoch: Math.floor(Date.now() / 1000) }) },
    })
    expect(confirmed.status).toBe(200)
    const recoveryA = confirmed.body.recovery_codes as string[]
    const lena = await signUp(
      'lena@example.com',
      await invite(stack.bursar.ownerToken, 'lena@example.com', 'viewer'),
    )
    const mia = await signUp(
      'mia@example.com',
      await invite(stack.bursar.ownerToken, 'mia@example.com', 'viewer'),
    )
    const spareInvitation = await invite(stack.bursar.ownerToken, 'late@example.com', 'viewer')
    const bea = await signUp('bea@example.com', await invite(ownerB.token, 'bea@example.com', 'admin'))
    const spare = await http('POST', '/v1/auth/login', {
      body: { email: 'ada@example.com', password, recovery_code: recoveryA[2] },
    })
    expect(spare.status).toBe(200)
    const token = async (name: string, role: string) => {
      const response = await http('POST', '/v1/service-tokens', {
        token: stack.bursar.ownerToken,
        body: { name, role },
      })
      expect(response.status).toBe(201)
      return response.body as { id: string; token: string }
    }
    const viewerA = await token('viewer', 'viewer')
    const hook = async () => {
      const response = await http('POST', '/v1/webhooks', {
        token: stack.bursar.ownerToken,
        body: { url: 'http://127.0.0.1:9/hook', event_types: ['*'] },
      })
      expect(response.status).toBe(201)
      return response.body.id as string
    }
    const webhook = await hook()
    const webhookToDisable = await hook()
    const hookAgent = await stack.bursar.createAgent({ name: 'an event for the webhooks' })
    await stack.bursar.seal()
    let delivery: string | undefined
    for (let i = 0; i < 100 && delivery === undefined; i++) {
      const log = await http('GET', `/v1/webhooks/${webhook}/deliveries`, { token: stack.bursar.ownerToken })
      delivery = log.body.data[0]?.id
      if (delivery === undefined) await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const spareToken = await token('to be revoked', 'viewer')
    fx = {
      tokens: {
        agentA: agentA.apiKey,
        agentA2: agentA2.apiKey,
        agentB: agentB.apiKey,
        victimAgent: victim.apiKey,
        ownerA: stack.bursar.ownerToken,
        operator: testOperatorToken,
        ownerB: ownerB.token,
        sessionA: ada.token,
        lena: lena.token,
        viewerA: viewerA.token,
        sessionB: bea.token,
      },
      revokedAgentKey: revoked.secret,
      revokedOwnerToken: ownerC.token,
      agentA,
      agentA2,
      agentB,
      victim: {
        ...victim,
        keyToRevoke: (await newKey(victim.agentId, 'revoke me')).id,
        keyToRotate: (await newKey(victim.agentId, 'rotate me')).id,
      },
      intentA: await submit(agentA.apiKey),
      intentA2,
      intentB: await submit(agentB.apiKey),
      approvalA2: approvalA2!.id,
      approvalA3: approvalA3!.id,
      intentA3,
      recoveryA,
      totpSecretA,
      spareSessionA: spare.body.session.id,
      spareInvitation,
      mia: mia.account.id,
      spareToken: spareToken.id,
      webhook,
      webhookToDisable,
      delivery: delivery!,
      hookAgent: hookAgent.agentId,
    }
    snapshotBefore = await snapshot()
  })

  describe('the route table', () => {
    test('covers every route the app registers, and no more', () => {
      const parsed = registeredRoutes(stack.bursar.app)
      // The tree parser is only trusted if Fastify agrees that each route it read exists.
      for (const entry of parsed) {
        const [method, url] = entry.split(' ') as [string, string]
        expect(stack.bursar.app.hasRoute({ method: method as 'GET', url }), entry).toBe(true)
      }
      expect(parsed.length).toBeGreaterThan(20)
      expect(parsed).toEqual(routes.map((row) => `${row.method} ${row.route}`).sort())
    })

    const table = () => new Map(routeTable.map((route) => [`${route.method} ${route.path}`, route.access]))

    test('the app registers the route table and the reference page, nothing else', () => {
      const registered = registeredRoutes(stack.bursar.app)
      const extra = registered.filter((entry) => !table().has(entry))
      // Only the reference page's own HTML and script, which carry no data.
      expect(extra).toEqual([`GET ${docsPrefix}`, `GET ${docsPrefix}/`, `GET ${docsPrefix}/js/scalar.js`])
      expect([...table().keys()].filter((entry) => !registered.includes(entry))).toEqual([])
    })

    test('every route of the route table has a row here, with the access this file expects', () => {
      const declared = table()
      const wrong = routes
        .filter((row) => !row.route.startsWith(docsPrefix))
        .map((row) => ({
          route: `${row.method} ${row.route}`,
          expected: row.auth,
          declared: declared.get(`${row.method} ${row.route}`),
        }))
        .filter((entry) => entry.declared !== entry.expected)
      expect(wrong).toEqual([])
      expect(routes.filter((row) => !row.route.startsWith(docsPrefix)).length).toBe(declared.size)
    })
  })

  describe('credentials', () => {
    for (const row of authenticated)
      test(`error: no Authorization header → 401 UNAUTHENTICATED on ${row.method} ${row.route}`, async () => {
        expectError(await call(row), 401, 'UNAUTHENTICATED')
      })

    for (const row of authenticated.filter((candidate) => candidate.method !== 'GET'))
      test(`error: no credential and a broken body → 401, not a word about the body, on ${row.method} ${row.route}`, async () => {
        for (const rawBody of ['{not json', '{"text":"nul \\u0000"}']) {
          const response = await stack.bursar.http(row.method, row.path(fx), { rawBody })
          expectError(response, 401, 'UNAUTHENTICATED')
        }
        const wrongType = await stack.bursar.http(row.method, row.path(fx), {
          rawBody: 'x',
          headers: { 'content-type': 'text/plain' },
        })
        expectError(wrongType, 401, 'UNAUTHENTICATED')
      })

    for (const row of authenticated)
      test(`error: not a Bearer credential → 401 UNAUTHENTICATED on ${row.method} ${row.route}`, async () => {
        for (const authorization of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer two words', fx.tokens.agentA]) {
          expectError(await call(row, { headers: { authorization } }), 401, 'UNAUTHENTICATED')
        }
      })

    for (const row of authenticated)
      test(`error: garbage or unknown key → 401 INVALID_API_KEY on ${row.method} ${row.route}`, async () => {
        const real = fx.tokens.agentA
        const tampered = `${real.slice(0, -1)}${real.endsWith('A') ? 'B' : 'A'}`
        for (const token of [
          'garbage',
          `bsr_${'x'.repeat(43)}`,
          `bsr_owner_${'x'.repeat(43)}`,
          tampered,
          `${fx.tokens.ownerA}x`,
        ]) {
          expectError(await call(row, { token }), 401, 'INVALID_API_KEY')
        }
      })

    for (const row of authenticated)
      test(`error: revoked agent key → 401 INVALID_API_KEY on ${row.method} ${row.route}`, async () => {
        expectError(await call(row, { token: fx.revokedAgentKey }), 401, 'INVALID_API_KEY')
      })

    for (const row of authenticated)
      test(`error: revoked owner token → 401 INVALID_API_KEY on ${row.method} ${row.route}`, async () => {
        expectError(await call(row, { token: fx.revokedOwnerToken }), 401, 'INVALID_API_KEY')
      })

    test('the scheme name is case-insensitive', async () => {
      const response = await stack.bursar.http('GET', '/v1/wallets', {
        headers: { authorization: `bearer ${fx.tokens.agentA}` },
      })
      expect(response.status).toBe(200)
    })
  })

  describe('agents cannot manage', () => {
    for (const row of ownerOnly)
      test(`error: agent key on owner-only ${row.method} ${row.route} → 403 FORBIDDEN`, async () => {
        // The victim's own key: an agent cannot act on its own record either (pause, re-key, re-policy, delete).
        expectError(await call(row, { token: fx.tokens.victimAgent }), 403, 'FORBIDDEN')
        expectError(await call(row, { token: fx.tokens.agentA }), 403, 'FORBIDDEN')
      })
  })

  describe('owners cannot act as agents', () => {
    for (const row of agentOnly)
      test(`error: owner token on agent-only ${row.method} ${row.route} → 403 FORBIDDEN`, async () => {
        expectError(await call(row, { token: fx.tokens.ownerA }), 403, 'FORBIDDEN')
      })
  })

  describe('roles: a viewer reads, and nothing more', () => {
    for (const row of routes.filter((r) => ['approver', 'admin', 'instance_admin'].includes(r.auth)))
      test(`error: a viewer (service token or session) on ${row.method} ${row.route} → 403`, async () => {
        const code = row.auth === 'instance_admin' ? 'INSTANCE_ADMIN_REQUIRED' : 'ROLE_FORBIDDEN'
        expectError(await call(row, { token: fx.tokens.viewerA }), 403, code)
        expectError(await call(row, { token: fx.tokens.lena }), 403, code)
      })

    for (const row of routes.filter((r) => r.auth === 'session'))
      test(`error: a service token on the person-only ${row.method} ${row.route} → 403 FORBIDDEN`, async () => {
        expectError(await call(row, { token: fx.tokens.viewerA }), 403, 'FORBIDDEN')
        expectError(await call(row, { token: fx.tokens.ownerA }), 403, 'FORBIDDEN')
      })
  })

  describe("another organisation's person sees and changes nothing of A", () => {
    const memberRows = routes.filter((row) => memberRoutes.includes(row.auth) || row.auth === 'any')
    for (const row of memberRows)
      test(`error: organisation B's admin session on ${row.method} ${row.route} → refused, or only B's own data`, async () => {
        const response = await call(row, { token: fx.tokens.sessionB })
        if (row.auth === 'instance_admin') expectError(response, 403, 'INSTANCE_ADMIN_REQUIRED')
        // A refusal may name the id the caller sent; an answer names nothing of A's.
        if (response.status >= 400) return
        expect(row.method).toBe('GET')
        const text = JSON.stringify(response.body)
        for (const id of [
          fx.agentA.agentId,
          fx.victim.agentId,
          fx.intentA,
          fx.approvalA2,
          fx.agentA.walletId,
        ])
          expect(text).not.toContain(id)
      })

    test("organisation B's audit export verifies end to end, holding only hashes of A's entries", async () => {
      await stack.bursar.seal()
      const verifier = createAuditVerifier()
      let after = 0
      let redacted = 0
      let own = 0
      for (;;) {
        const page = await stack.bursar.http('GET', `/v1/audit?after_seq=${after}&limit=1000`, {
          token: fx.tokens.sessionB,
        })
        expect(page.status).toBe(200)
        for (const { prev_hash, ...entry } of page.body.data) {
          if (entry.redacted) redacted++
          else own++
          expect(verifier.push({ ...entry, prevHash: prev_hash })).toBeUndefined()
        }
        if (page.body.next_after_seq === null) break
        after = page.body.next_after_seq
      }
      const head = await stack.bursar.http('GET', '/v1/audit/checkpoint', { token: fx.tokens.sessionB })
      expect(
        finishAuditVerification(verifier, { head: head.body, trustedKey: head.body.public_key }),
      ).toMatchObject({
        ok: true,
        entries: head.body.seq,
      })
      expect(own).toBeGreaterThan(0)
      expect(redacted).toBeGreaterThan(own)
      const everything = JSON.stringify(
        (await stack.bursar.http('GET', '/v1/audit?limit=1000', { token: fx.tokens.sessionB })).body,
      )
      for (const id of [fx.agentA.agentId, fx.intentA, fx.approvalA2]) expect(everything).not.toContain(id)
      // A's own view reads A's entries in full.
      const a = JSON.stringify(
        (await stack.bursar.http('GET', '/v1/audit?limit=1000', { token: fx.tokens.ownerA })).body,
      )
      expect(a).toContain(fx.agentA.agentId)
    })
  })

  describe('operational data is for the operator only', () => {
    for (const row of routes.filter((candidate) => candidate.auth === 'operator'))
      test(`error: agent key or owner token on ${row.method} ${row.route} → 401 INVALID_API_KEY`, async () => {
        expectError(await call(row, { token: fx.tokens.agentA }), 401, 'INVALID_API_KEY')
        expectError(await call(row, { token: fx.tokens.ownerA }), 401, 'INVALID_API_KEY')
      })
  })

  describe('isolation between agents and between owners', () => {
    for (const row of withHidden)
      test(`error: ${row.method} ${row.route} on someone else’s resource → 404, never 200`, async () => {
        for (const who of row.hidden!.from) {
          const response = await call(row, { token: fx.tokens[who] })
          expect({ who, status: response.status }).toEqual({ who, status: 404 })
          expectError(response, 404, row.hidden!.code)
        }
      })

    test('a foreign id looks exactly like a missing one', async () => {
      const foreign = await stack.bursar.http('GET', `/v1/intents/${fx.intentA}`, { token: fx.tokens.agentB })
      const missing = await stack.bursar.http('GET', '/v1/intents/int_doesnotexist', {
        token: fx.tokens.agentB,
      })
      expect(foreign.body.error.message).toBe(missing.body.error.message)
      expect(Object.keys(foreign.body.error.details)).toEqual(Object.keys(missing.body.error.details))
    })

    test('an agent lists only its own intents', async () => {
      const response = await stack.bursar.http('GET', '/v1/intents', { token: fx.tokens.agentA2 })
      expect(response.status).toBe(200)
      expect(response.body.data.map((i: { id: string }) => i.id)).toEqual([fx.intentA3, fx.intentA2])
    })

    test('an agent cannot widen its list with agent_id', async () => {
      const response = await stack.bursar.http('GET', `/v1/intents?agent_id=${fx.agentA.agentId}`, {
        token: fx.tokens.agentA2,
      })
      expect(response.status).toBe(200)
      expect(response.body.data.map((i: { id: string }) => i.id)).toEqual([fx.intentA3, fx.intentA2])
    })

    test('an owner lists its agents’ intents and none of another owner’s', async () => {
      const a = await stack.bursar.http('GET', '/v1/intents', { token: fx.tokens.ownerA })
      expect(a.status).toBe(200)
      expect(a.body.data.map((i: { id: string }) => i.id).sort()).toEqual(
        [fx.intentA, fx.intentA2, fx.intentA3].sort(),
      )
      const b = await stack.bursar.http('GET', '/v1/intents', { token: fx.tokens.ownerB })
      expect(b.body.data.map((i: { id: string }) => i.id)).toEqual([fx.intentB])
    })

    test('an owner filtering by another owner’s agent_id gets nothing', async () => {
      const response = await stack.bursar.http('GET', `/v1/intents?agent_id=${fx.agentA.agentId}`, {
        token: fx.tokens.ownerB,
      })
      expect(response.status).toBe(200)
      expect(response.body.data).toEqual([])
    })

    test('an agent lists only its own wallet', async () => {
      const response = await stack.bursar.http('GET', '/v1/wallets', { token: fx.tokens.agentB })
      expect(response.status).toBe(200)
      expect(response.body.data.map((w: { id: string }) => w.id)).toEqual([fx.agentB.walletId])
    })

    test('an owner lists only its own agents', async () => {
      const a = await stack.bursar.http('GET', '/v1/agents', { token: fx.tokens.ownerA })
      const b = await stack.bursar.http('GET', '/v1/agents', { token: fx.tokens.ownerB })
      const ids = (response: { body: { data: Array<{ id: string }> } }) =>
        response.body.data.map((agent: { id: string }) => agent.id).sort()
      expect(ids(a)).toEqual([fx.agentA.agentId, fx.agentA2.agentId, fx.victim.agentId, fx.hookAgent].sort())
      expect(ids(b)).toEqual([fx.agentB.agentId])
    })

    test('error: an owner cannot revoke another owner’s key by pairing it with its own agent', async () => {
      const response = await stack.bursar.http(
        'DELETE',
        `/v1/agents/${fx.agentB.agentId}/keys/${fx.victim.keyToRevoke}`,
        {
          token: fx.tokens.ownerB,
        },
      )
      expectError(response, 404, 'API_KEY_NOT_FOUND')
      const rotate = await stack.bursar.http(
        'POST',
        `/v1/agents/${fx.agentB.agentId}/keys/${fx.victim.keyToRotate}/rotate`,
        { token: fx.tokens.ownerB },
      )
      expectError(rotate, 404, 'API_KEY_NOT_FOUND')
    })

    test('error: a key can only be revoked through the agent it belongs to', async () => {
      const [key] = await listApiKeyRows(stack.bursar.ctx.db, {
        agentId: fx.agentA.agentId,
        active: true,
        limit: 1,
      })
      const response = await stack.bursar.http('DELETE', `/v1/agents/${fx.agentA2.agentId}/keys/${key!.id}`, {
        token: fx.tokens.ownerA,
      })
      expectError(response, 404, 'API_KEY_NOT_FOUND')
    })

    test('error: owner token on POST /v1/intents → 403 FORBIDDEN and no intent is stored', async () => {
      const before = await countIntentRows(stack.bursar.ctx.db)
      const response = await stack.bursar.http('POST', '/v1/intents', {
        token: fx.tokens.ownerB,
        body: transfer,
      })
      expectError(response, 403, 'FORBIDDEN')
      expect(await countIntentRows(stack.bursar.ctx.db)).toEqual(before)
    })

    test('the audit log never carries a key secret or owner token', async () => {
      const response = await stack.bursar.http('GET', '/v1/audit?limit=1000', { token: fx.tokens.ownerA })
      expect(response.status).toBe(200)
      // Unsealed entries are not listed yet; read the table too.
      const rows = await listAuditRows(stack.bursar.ctx.db)
      const text = JSON.stringify([response.body, rows])
      for (const secret of Object.values(fx.tokens)) expect(text).not.toContain(secret)
      expect(text).not.toContain(fx.revokedAgentKey)
    })
  })

  test('rejected requests changed nothing: no agent, key, policy, intent, reservation or audit row but the refusals', async () => {
    const after = await snapshot()
    const refusals = after.audit.filter((row) => row.action === 'access.refused')
    expect(refusals.length).toBeGreaterThan(0)
    expect({ ...after, audit: after.audit.filter((row) => row.action !== 'access.refused') }).toEqual(
      snapshotBefore,
    )
  })

  describe('the rightful caller succeeds (so the rejections above are about who, not what)', () => {
    for (const row of routes)
      test(`${row.method} ${row.route}`, async () => {
        for (const who of rightful(row)) {
          const response = await call(row, who === undefined ? {} : { token: fx.tokens[who] })
          expect({ who, status: response.status, body: response.body }).toMatchObject({ who, status: row.ok })
        }
      })

    test('a deleted agent’s keys stop working', async () => {
      const response = await stack.bursar.http('GET', '/v1/wallets', { token: fx.tokens.victimAgent })
      expectError(response, 401, 'INVALID_API_KEY')
    })

    test('a rotated key stops working and its replacement works', async () => {
      const agent = fx.agentA
      const created = await stack.bursar.http('POST', `/v1/agents/${agent.agentId}/keys`, {
        token: fx.tokens.ownerA,
        body: { name: 'rotating' },
      })
      const rotated = await stack.bursar.http(
        'POST',
        `/v1/agents/${agent.agentId}/keys/${created.body.id}/rotate`,
        {
          token: fx.tokens.ownerA,
        },
      )
      expect(rotated.status).toBe(201)
      expectError(
        await stack.bursar.http('GET', '/v1/wallets', { token: created.body.secret }),
        401,
        'INVALID_API_KEY',
      )
      expect((await stack.bursar.http('GET', '/v1/wallets', { token: rotated.body.secret })).status).toBe(200)
    })
  })
})
