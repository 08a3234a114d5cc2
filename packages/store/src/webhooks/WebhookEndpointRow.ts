/** A webhook endpoint as stored, without its secrets: those only the delivery worker reads (claimWebhookDeliveries). */
export type WebhookEndpointRow = {
  id: string
  org_id: string
  url: string
  description: string | null
  /** Patterns of the event types sent here: an exact type ('approval.requested'), a family ('intent.*') or '*'. */
  event_types: string[]
  created_at: Date
  /** After a rotation, the previous secret signs beside the current one until then; null when only one signs. */
  previous_secret_expires_at: Date | null
  /** A disabled endpoint is sent nothing; its delivery log stays readable. */
  disabled_at: Date | null
}

/** The columns of WebhookEndpointRow, for a statement's select or returning list (never the secrets). */
export const webhookEndpointColumns =
  'id, org_id, url, description, event_types, created_at, previous_secret_expires_at, disabled_at'
