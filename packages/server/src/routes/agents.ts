/** /v1/agents: owners create, list, pause, resume and delete agents, and manage their API keys. */
import {
  agentListResponseSchema,
  agentSchema,
  apiKeyListResponseSchema,
  apiKeySchema,
  createAgentRequestSchema,
  createAgentResponseSchema,
  createApiKeyRequestSchema,
  idParams,
  keyParams,
  newApiKeySchema,
} from '@bursar/core/api'
import { listAgents, listAgentWallets, listApiKeys } from '@bursar/store'
import {
  changeAgentStatus,
  createAgent,
  createApiKey,
  ownedAgent,
  revokeAgentKey,
  rotateAgentKey,
} from '../agents/agentOperations.ts'
import { defineRoute, respond } from '../http/Route.ts'
import { agentResponse, keyResponse } from './responses.ts'

const statusChange = (action: 'pause' | 'resume', status: 'paused' | 'active', summary: string) =>
  defineRoute({
    method: 'POST',
    path: `/v1/agents/:id/${action}`,
    summary,
    access: 'admin',
    // Pausing is the safe direction and needs none; undoing it needs a second factor, like resetting a breaker.
    ...(action === 'resume' ? { stepUp: true as const } : {}),
    params: idParams,
    responses: { 200: agentSchema },
    handler: async ({ ctx, principal, params }) =>
      agentResponse(await changeAgentStatus(ctx, principal, params.id, status)),
  })

export const agentRoutes = [
  defineRoute({
    method: 'POST',
    path: '/v1/agents',
    summary: 'Create an agent with a wallet per chain family and an API key (its secret is shown once)',
    access: 'admin',
    stepUp: true,
    body: createAgentRequestSchema,
    responses: { 201: createAgentResponseSchema },
    async handler({ ctx, principal, body }) {
      const created = await createAgent(ctx, principal, {
        name: body.name,
        ...(body.policy === undefined ? {} : { policy: body.policy }),
        createKey: body.create_api_key ?? true,
      })
      return {
        agent: agentResponse(created.agent, created.wallets),
        // Shown once: only its hash is stored.
        api_key: created.apiKey
          ? { ...keyResponse(created.apiKey.key), secret: created.apiKey.secret }
          : null,
        policy_version: created.policy?.version ?? null,
        warnings: created.warnings,
      }
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/agents',
    summary: 'List agents',
    access: 'viewer',
    responses: { 200: agentListResponseSchema },
    async handler({ ctx, principal }) {
      const agents = await listAgents(ctx.db, principal.orgId)
      return {
        data: await Promise.all(
          agents.map(async (agent) => agentResponse(agent, await listAgentWallets(ctx.db, agent.id))),
        ),
      }
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/agents/:id',
    summary: 'Get an agent',
    access: 'viewer',
    params: idParams,
    responses: { 200: agentSchema },
    async handler({ ctx, principal, params }) {
      const agent = await ownedAgent(ctx.db, principal.orgId, params.id)
      return agentResponse(agent, await listAgentWallets(ctx.db, params.id))
    },
  }),
  statusChange('pause', 'paused', 'Pause an agent: new intents are refused, queued ones wait'),
  statusChange('resume', 'active', 'Resume a paused agent'),
  defineRoute({
    method: 'DELETE',
    path: '/v1/agents/:id',
    summary: 'Delete an agent (its keys are revoked, queued intents cancelled, history kept)',
    access: 'admin',
    params: idParams,
    responses: { 200: agentSchema },
    handler: async ({ ctx, principal, params }) =>
      agentResponse(await changeAgentStatus(ctx, principal, params.id, 'deleted')),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/agents/:id/keys',
    summary: "List an agent's API keys",
    access: 'viewer',
    params: idParams,
    responses: { 200: apiKeyListResponseSchema },
    async handler({ ctx, principal, params }) {
      await ownedAgent(ctx.db, principal.orgId, params.id)
      return { data: (await listApiKeys(ctx.db, params.id)).map(keyResponse) }
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/agents/:id/keys',
    summary: 'Create an API key (its secret is shown once)',
    access: 'admin',
    stepUp: true,
    params: idParams,
    body: createApiKeyRequestSchema,
    responses: { 201: newApiKeySchema },
    async handler({ ctx, principal, params, body }) {
      const created = await createApiKey(ctx, principal, params.id, body.name ?? null)
      return { ...keyResponse(created.key), secret: created.secret }
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/v1/agents/:id/keys/:keyId',
    summary: 'Revoke an API key',
    access: 'admin',
    params: keyParams,
    responses: { 200: apiKeySchema },
    handler: async ({ ctx, principal, params }) =>
      keyResponse(await revokeAgentKey(ctx, principal, params.id, params.keyId)),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/agents/:id/keys/:keyId/rotate',
    summary: 'Issue a new key and revoke this one',
    access: 'admin',
    stepUp: true,
    params: keyParams,
    responses: { 201: newApiKeySchema },
    async handler({ ctx, principal, params }) {
      const created = await rotateAgentKey(ctx, principal, params.id, params.keyId)
      return respond(201, { ...keyResponse(created.key), secret: created.secret })
    },
  }),
]
