/** One attempt to send a delivery: the delivery log's detail. */
export type WebhookAttemptRow = {
  delivery_id: string
  /** 1 for the first attempt. */
  attempt: number
  at: Date
  /** The receiver's HTTP status; null when no response came (then `error` says why). */
  status: number | null
  error: string | null
  duration_ms: number
}

/** The columns of WebhookAttemptRow, for a statement's select or returning list. */
export const webhookAttemptColumns = 'delivery_id, attempt, at, status, error, duration_ms'
