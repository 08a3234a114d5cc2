/** Turns one audit entry into a webhook event and queues it for the organisation's endpoints that want it. */
import type { StoredAuditEntry } from '@bursar/core/audit'
import { enqueueWebhookDeliveries, type Sql, type WebhookDeliveryRow } from '@bursar/store'

/** The audit entry an event is made from: a sealed one, as the audit tail hands it over. */
export type WebhookEventSource = Pick<
  StoredAuditEntry,
  'seq' | 'ts' | 'action' | 'actor' | 'subject' | 'data'
>

/** The JSON body of a delivery. */
type WebhookPayload = {
  /** `evt_<audit seq>`: the same for every endpoint, every attempt and every replay, so receivers can deduplicate. */
  id: string
  /** The audit action: 'intent.confirmed', 'approval.requested', … */
  type: string
  /** When it happened (the audit entry's time, ISO 8601). */
  created_at: string
  data: {
    /** The audit entry this event is, for looking it up in the log. */
    seq: number
    actor: WebhookEventSource['actor']
    /** What it is about: `{ type: 'intent', id: 'int_…' }`. */
    subject: WebhookEventSource['subject']
    /** The audit entry's data as recorded (the log carries no secrets). */
    details: Record<string, unknown>
  }
}

/**
 * Idempotent: the event id comes from the entry's seq, so handing over the same entry again (after a restart the
 * tail is read again) queues nothing new. Run it in the transaction that records the tail's position, so the two
 * move together. Returns the deliveries queued.
 *
 * @example for (const entry of await tail.read(after, 1000)) await enqueueWebhookEvent(tx, orgId, entry)
 */
export async function enqueueWebhookEvent(
  sql: Sql,
  orgId: string,
  event: WebhookEventSource,
): Promise<WebhookDeliveryRow[]> {
  const payload: WebhookPayload = {
    id: `evt_${event.seq}`,
    type: event.action,
    created_at: event.ts,
    data: { seq: event.seq, actor: event.actor, subject: event.subject, details: event.data },
  }
  return enqueueWebhookDeliveries(sql, {
    orgId,
    eventId: payload.id,
    eventType: payload.type,
    payload,
  })
}
