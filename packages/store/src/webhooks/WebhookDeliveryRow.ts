/** One event to be sent to one endpoint, as stored: the worker's queue and the delivery log in one row. */
export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed'

export type WebhookDeliveryRow = {
  id: string
  endpoint_id: string
  org_id: string
  /** The event's id (`evt_…`): the same for every endpoint it goes to, and for a replay. */
  event_id: string
  event_type: string
  /** The body sent, as JSON; the same for every attempt. */
  payload: Record<string, unknown>
  status: WebhookDeliveryStatus
  /** Attempts made so far. */
  attempts: number
  next_attempt_at: Date
  /** While set and in the future, a worker is sending it and no other claims it. */
  lease_until: Date | null
  /** The HTTP status of the last attempt; null before any or when no response came. */
  last_status: number | null
  last_error: string | null
  created_at: Date
  delivered_at: Date | null
  /** The delivery this one repeats, for a replay. */
  replay_of: string | null
}

/** The columns of WebhookDeliveryRow, each qualified with `alias` when given (for a statement that joins). */
export function webhookDeliveryColumns(alias = ''): string {
  const prefix = alias === '' ? '' : `${alias}.`
  return [
    'id',
    'endpoint_id',
    'org_id',
    'event_id',
    'event_type',
    'payload',
    'status',
    'attempts',
    'next_attempt_at',
    'lease_until',
    'last_status',
    'last_error',
    'created_at',
    'delivered_at',
    'replay_of',
  ]
    .map((column) => `${prefix}${column}`)
    .join(', ')
}
