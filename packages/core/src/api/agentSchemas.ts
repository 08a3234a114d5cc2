/** Agents and their API keys, as owners manage them. */
import { z } from 'zod'
import { idParam, listOf, timestamp } from './common.ts'
import { policyWarningSchema } from './policySchemas.ts'
import { walletSchema } from './walletSchemas.ts'

export const agentSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(['active', 'paused', 'deleted']),
  wallets: z.array(walletSchema),
  created_at: timestamp,
  updated_at: timestamp,
})
export type Agent = z.infer<typeof agentSchema>
export const agentListResponseSchema = listOf(agentSchema)

export const apiKeySchema = z.object({
  id: z.string(),
  agent_id: z.string(),
  name: z.string().nullable(),
  prefix: z.string(),
  created_at: timestamp,
  last_used_at: timestamp.nullable(),
  revoked_at: timestamp.nullable(),
})
export type ApiKey = z.infer<typeof apiKeySchema>
/** A new key: its secret is in this response and nowhere else (only its hash is stored). */
export const newApiKeySchema = apiKeySchema.extend({ secret: z.string() })
export const apiKeyListResponseSchema = listOf(apiKeySchema)

export const createAgentRequestSchema = z.strictObject({
  name: z.string().min(1).max(100),
  policy: z.unknown().optional(),
  create_api_key: z.boolean().optional(),
})
export const createAgentResponseSchema = z.object({
  agent: agentSchema,
  api_key: newApiKeySchema.nullable(),
  policy_version: z.number().int().nullable(),
  warnings: z.array(policyWarningSchema),
})
export type CreateAgentResponse = z.infer<typeof createAgentResponseSchema>

export const createApiKeyRequestSchema = z.strictObject({ name: z.string().min(1).max(100).optional() })
export const keyParams = z.object({ id: idParam, keyId: idParam })
