/** Liveness and readiness. */
import { z } from 'zod'

export const livenessSchema = z.object({ status: z.literal('ok') })
export const readinessSchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.record(z.string(), z.enum(['ok', 'unavailable', 'wrong_chain'])),
})
