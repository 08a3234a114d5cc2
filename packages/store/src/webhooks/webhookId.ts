/** Identifiers of webhook endpoints (`whk_…`) and deliveries (`whd_…`). */
import { randomBytes } from 'node:crypto'

// Shaped like newId's ids (time-ordered, so the delivery log pages by id); newId's prefixes do not name these yet.
export function webhookId(prefix: 'whk' | 'whd'): string {
  return `${prefix}_${Date.now().toString(36).padStart(9, '0')}${randomBytes(8).toString('hex')}`
}
