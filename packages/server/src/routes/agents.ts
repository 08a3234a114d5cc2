/** /v1/agents: owners create, list, pause, resume and delete agents, manage their API keys and policies. */
import { BursarError } from '@bursar/core/errors'
import { parseDuration, validatePolicy } from '@bursar/core/policy'
import type { IntentRow } from '@bursar/store'
import {
  type AgentRow,
  type ApiKeyRow,
  getCurrentPolicy,
  listAgents,
  listAgentWallets,
  listApiKeys,
  listPolicyVersions,
  type WalletRow,
} from '@bursar/store'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import {
  changeAgentStatus,
  createAgent,
  createApiKey,
  ownedAgent,
  revokeAgentKey,
  rotateAgentKey,
  setPolicy,
} from '../agents/agentOperations.ts'
import { requireOwner } from '../auth/authenticate.ts'
import type { ServerContext } from '../context.ts'
import { replayPolicy } from '../intents/replayPolicy.ts'
import { parseWith } from '../parseBody.ts'

const createAgentSchema = z.strictObject({
  name: z.string().min(1).max(100),
  policy: z.unknown().optional(),
  create_api_key: z.boolean().optional(),
})
const agentParams = z.object({ id: z.string().min(1).max(64) })
const keyParams = z.object({ id: z.string().min(1).max(64), keyId: z.string().min(1).max(64) })
const createKeySchema = z.strictObject({ name: z.string().min(1).max(100).optional() })
const replaySchema = z.strictObject({
  policy: z.unknown(),
  since: z
    .string()
    .regex(/^([1-9][0-9]{0,6}[smhdw])+$/, 'a duration such as "24h" or "7d"')
    .default('7d'),
})

export const agentResponse = (agent: AgentRow, wallets: WalletRow[] = []) => ({
  id: agent.id,
  name: agent.name,
  status: agent.status,
  wallets: wallets.map(walletResponse),
  created_at: agent.created_at.toISOString(),
  updated_at: agent.updated_at.toISOString(),
})
export const walletResponse = (wallet: WalletRow) => ({
  id: wallet.id,
  agent_id: wallet.agent_id,
  family: wallet.family,
  address: wallet.address,
  created_at: wallet.created_at.toISOString(),
})
const keyResponse = (key: ApiKeyRow) => ({
  id: key.id,
  agent_id: key.agent_id,
  name: key.name,
  prefix: key.prefix,
  created_at: key.created_at.toISOString(),
  last_used_at: key.last_used_at?.toISOString() ?? null,
  revoked_at: key.revoked_at?.toISOString() ?? null,
})

export function registerAgentRoutes(app: FastifyInstance, ctx: ServerContext) {
  app.post('/v1/agents', async (request, reply) => {
    const owner = await requireOwner(ctx, request)
    const body = parseWith(createAgentSchema, request.body ?? {})
    const created = await createAgent(ctx, owner.ownerId, {
      name: body.name,
      ...(body.policy === undefined ? {} : { policy: body.policy }),
      createKey: body.create_api_key ?? true,
    })
    return reply.status(201).send({
      agent: agentResponse(created.agent, [created.wallet]),
      // Shown once: only its hash is stored.
      api_key: created.apiKey ? { ...keyResponse(created.apiKey.key), secret: created.apiKey.secret } : null,
      policy_version: created.policy?.version ?? null,
      warnings: created.warnings,
    })
  })

  app.get('/v1/agents', async (request) => {
    const owner = await requireOwner(ctx, request)
    const agents = await listAgents(ctx.db, owner.ownerId)
    return {
      data: await Promise.all(
        agents.map(async (agent) => agentResponse(agent, await listAgentWallets(ctx.db, agent.id))),
      ),
    }
  })

  app.get('/v1/agents/:id', async (request) => {
    const owner = await requireOwner(ctx, request)
    const { id } = parseWith(agentParams, request.params, 'path')
    const agent = await ownedAgent(ctx.db, owner.ownerId, id)
    return agentResponse(agent, await listAgentWallets(ctx.db, id))
  })

  for (const [action, status] of [
    ['pause', 'paused'],
    ['resume', 'active'],
  ] as const) {
    app.post(`/v1/agents/:id/${action}`, async (request) => {
      const owner = await requireOwner(ctx, request)
      const { id } = parseWith(agentParams, request.params, 'path')
      return agentResponse(await changeAgentStatus(ctx, owner.ownerId, id, status))
    })
  }

  app.delete('/v1/agents/:id', async (request) => {
    const owner = await requireOwner(ctx, request)
    const { id } = parseWith(agentParams, request.params, 'path')
    return agentResponse(await changeAgentStatus(ctx, owner.ownerId, id, 'deleted'))
  })

  app.get('/v1/agents/:id/keys', async (request) => {
    const owner = await requireOwner(ctx, request)
    const { id } = parseWith(agentParams, request.params, 'path')
    await ownedAgent(ctx.db, owner.ownerId, id)
    return { data: (await listApiKeys(ctx.db, id)).map(keyResponse) }
  })

  app.post('/v1/agents/:id/keys', async (request, reply) => {
    const owner = await requireOwner(ctx, request)
    const { id } = parseWith(agentParams, request.params, 'path')
    const body = parseWith(createKeySchema, request.body ?? {})
    const created = await createApiKey(ctx, owner.ownerId, id, body.name ?? null)
    return reply.status(201).send({ ...keyResponse(created.key), secret: created.secret })
  })

  app.delete('/v1/agents/:id/keys/:keyId', async (request) => {
    const owner = await requireOwner(ctx, request)
    const { id, keyId } = parseWith(keyParams, request.params, 'path')
    return keyResponse(await revokeAgentKey(ctx, owner.ownerId, id, keyId))
  })

  app.post('/v1/agents/:id/keys/:keyId/rotate', async (request, reply) => {
    const owner = await requireOwner(ctx, request)
    const { id, keyId } = parseWith(keyParams, request.params, 'path')
    const created = await rotateAgentKey(ctx, owner.ownerId, id, keyId)
    return reply.status(201).send({ ...keyResponse(created.key), secret: created.secret })
  })

  app.get('/v1/agents/:id/policy', async (request) => {
    const owner = await requireOwner(ctx, request)
    const { id } = parseWith(agentParams, request.params, 'path')
    await ownedAgent(ctx.db, owner.ownerId, id)
    const policy = await getCurrentPolicy(ctx.db, id)
    if (!policy)
      throw new BursarError('NOT_FOUND', 'the agent has no policy yet', { details: { agent_id: id } })
    return {
      agent_id: id,
      version: policy.version,
      document: policy.document,
      created_at: policy.created_at.toISOString(),
    }
  })

  app.get('/v1/agents/:id/policy/versions', async (request) => {
    const owner = await requireOwner(ctx, request)
    const { id } = parseWith(agentParams, request.params, 'path')
    await ownedAgent(ctx.db, owner.ownerId, id)
    const versions = await listPolicyVersions(ctx.db, id)
    return {
      data: versions.map((v) => ({
        version: v.version,
        document: v.document,
        created_by: v.created_by,
        created_at: v.created_at.toISOString(),
      })),
    }
  })

  app.post('/v1/agents/:id/policy/replay', async (request) => {
    const owner = await requireOwner(ctx, request)
    const { id } = parseWith(agentParams, request.params, 'path')
    const body = parseWith(replaySchema, request.body)
    await ownedAgent(ctx.db, owner.ownerId, id)
    const draft = validatePolicy(body.policy)
    if (!draft.ok)
      throw new BursarError('POLICY_INVALID', 'the draft policy is invalid', {
        details: { issues: draft.issues },
      })
    const seconds = parseDuration(body.since)
    const intents = await ctx.db.query<IntentRow>(
      `select * from intents where agent_id = $1 and created_at > now() - make_interval(secs => $2) order by created_at, id`,
      [id, seconds],
    )
    return {
      agent_id: id,
      since: body.since,
      warnings: draft.warnings,
      ...replayPolicy(ctx, draft.policy, intents),
    }
  })

  app.put('/v1/agents/:id/policy', async (request) => {
    const owner = await requireOwner(ctx, request)
    const { id } = parseWith(agentParams, request.params, 'path')
    const { policy, warnings } = await setPolicy(ctx, owner.ownerId, id, request.body)
    return { agent_id: id, version: policy.version, document: policy.document, warnings }
  })
}
