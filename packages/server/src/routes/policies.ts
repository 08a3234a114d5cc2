/** /v1/agents/:id/policy: owners read, set and replay an agent's policy versions. */
import {
  currentPolicyResponseSchema,
  idParams,
  policyVersionsResponseSchema,
  replayRequestSchema,
  replayResponseSchema,
  setPolicyResponseSchema,
} from '@bursar/core/api'
import { BursarError } from '@bursar/core/errors'
import { parseDuration, policyDocumentSchema, validatePolicy } from '@bursar/core/policy'
import { getCurrentPolicy, listIntentsSince, listPolicyVersions } from '@bursar/store'
import { ownedAgent, setPolicy } from '../agents/agentOperations.ts'
import { defineRoute } from '../http/Route.ts'
import { replayPolicy } from '../intents/replayPolicy.ts'

export const policyRoutes = [
  defineRoute({
    method: 'GET',
    path: '/v1/agents/:id/policy',
    summary: 'The policy in force',
    access: 'viewer',
    params: idParams,
    responses: { 200: currentPolicyResponseSchema },
    async handler({ ctx, principal, params }) {
      await ownedAgent(ctx.db, principal.orgId, params.id)
      const policy = await getCurrentPolicy(ctx.db, params.id)
      if (!policy)
        throw new BursarError('NOT_FOUND', 'the agent has no policy yet', {
          details: { agent_id: params.id },
        })
      return {
        agent_id: params.id,
        version: policy.version,
        document: policy.document,
        created_at: policy.created_at.toISOString(),
      }
    },
  }),
  defineRoute({
    method: 'PUT',
    path: '/v1/agents/:id/policy',
    summary: 'Set a new policy version (POLICY_INVALID names every problem)',
    access: 'admin',
    stepUp: true,
    params: idParams,
    // Documented by the policy schema, validated by the handler: semantic checks (Cedar rules, assets) answer
    // POLICY_INVALID with every issue, not VALIDATION_FAILED.
    body: policyDocumentSchema,
    validateBody: false,
    responses: { 200: setPolicyResponseSchema },
    async handler({ ctx, principal, params, request }) {
      const { policy, warnings } = await setPolicy(ctx, principal, params.id, request.body)
      return { agent_id: params.id, version: policy.version, document: policy.document, warnings }
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/agents/:id/policy/versions',
    summary: 'Every policy version, oldest first',
    access: 'viewer',
    params: idParams,
    responses: { 200: policyVersionsResponseSchema },
    async handler({ ctx, principal, params }) {
      await ownedAgent(ctx.db, principal.orgId, params.id)
      const versions = await listPolicyVersions(ctx.db, params.id)
      return {
        data: versions.map((v) => ({
          version: v.version,
          document: v.document,
          created_by: v.created_by,
          created_at: v.created_at.toISOString(),
        })),
      }
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/agents/:id/policy/replay',
    summary: 'Re-evaluate past intents under a draft policy ({policy, since})',
    access: 'viewer',
    params: idParams,
    body: replayRequestSchema,
    responses: { 200: replayResponseSchema },
    async handler({ ctx, principal, params, body }) {
      await ownedAgent(ctx.db, principal.orgId, params.id)
      const draft = validatePolicy(body.policy)
      if (!draft.ok)
        throw new BursarError('POLICY_INVALID', 'the draft policy is invalid', {
          details: { issues: draft.issues },
        })
      const intents = await listIntentsSince(ctx.db, params.id, parseDuration(body.since))
      return {
        agent_id: params.id,
        since: body.since,
        warnings: draft.warnings,
        ...replayPolicy(ctx, draft.policy, intents),
      }
    },
  }),
]
