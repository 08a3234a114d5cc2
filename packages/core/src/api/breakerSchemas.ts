/** Circuit breakers: per agent and global, tripped by signals or by an owner. */
import { z } from 'zod'
import { listOf, timestamp } from './common.ts'

export const breakerSchema = z.object({
  scope: z.enum(['agent', 'global']),
  agent_id: z.string().nullable(),
  tripped: z.boolean(),
  signal: z.string().nullable(),
  reason: z.string().nullable(),
  tripped_at: timestamp.nullable(),
  tripped_by: z.string().nullable(),
  reset_at: timestamp.nullable(),
  reset_by: z.string().nullable(),
})
export type Breaker = z.infer<typeof breakerSchema>
export const breakerListResponseSchema = listOf(breakerSchema)

export const tripRequestSchema = z.strictObject({ reason: z.string().min(1).max(500).optional() })
export const tripResponseSchema = z.object({
  scope: z.enum(['agent', 'global']),
  agent_id: z.string().optional(),
  tripped: z.literal(true),
  /** It was tripped already (by a signal or another owner); nothing changed. */
  already_tripped: z.boolean(),
})
