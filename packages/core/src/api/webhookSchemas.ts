/** Webhook endpoints of an organisation and their delivery log. */
import { z } from 'zod'
import { idParam, timestamp } from './common.ts'

export const webhookEndpointRequestSchema = z
  .object({
    url: z.string().min(1).max(2048),
    /** Patterns: an exact type ('approval.requested'), a family ('intent.*'), or '*' for everything. */
    event_types: z.array(z.string().min(1).max(64)).min(1).max(50),
    description: z.string().max(500).optional(),
  })
  .strict()

export const webhookEndpointSchema = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string().nullable(),
  event_types: z.array(z.string()),
  created_at: timestamp,
  /** After a rotation the previous secret also signs until then. */
  previous_secret_expires_at: timestamp.nullable(),
  disabled_at: timestamp.nullable(),
})

export const createdWebhookEndpointSchema = webhookEndpointSchema.extend({
  /** `whsec_…`, shown once: verify deliveries with it (docs/webhooks.md). */
  secret: z.string(),
})

export const webhookDeliverySchema = z.object({
  id: z.string(),
  endpoint_id: z.string(),
  event_id: z.string(),
  event_type: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  next_attempt_at: timestamp,
  last_status: z.number().int().nullable(),
  last_error: z.string().nullable(),
  created_at: timestamp,
  delivered_at: timestamp.nullable(),
  replay_of: z.string().nullable(),
  /** The body sent. */
  payload: z.record(z.string(), z.unknown()),
})

export const webhookAttemptSchema = z.object({
  attempt: z.number().int(),
  at: timestamp,
  status: z.number().int().nullable(),
  error: z.string().nullable(),
  duration_ms: z.number().int(),
})

export const webhookDeliveryDetailSchema = webhookDeliverySchema.extend({
  attempts_log: z.array(webhookAttemptSchema),
})

export const webhookDeliveryListQuerySchema = z.strictObject({
  status: z.enum(['pending', 'delivered', 'failed']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})

export const webhookDeliveryParams = z.object({ id: idParam, deliveryId: idParam })
