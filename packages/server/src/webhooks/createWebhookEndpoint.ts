/** Adds a webhook endpoint to an organisation; its signing secret is shown this once. */
import type { Keystore } from '@bursar/keys/keystore'
import { type Db, insertWebhookEndpoint, type WebhookEndpointRow } from '@bursar/store'
import { assertWebhookEventTypes } from './assertWebhookEventTypes.ts'
import { assertWebhookUrl } from './assertWebhookUrl.ts'
import { newWebhookSecret } from './newWebhookSecret.ts'
import { sealWebhookSecret } from './sealWebhookSecret.ts'

export type CreateWebhookEndpointDependencies = { db: Db; keystore: Pick<Keystore, 'sealSecret'> }

export type CreateWebhookEndpointParameters = {
  url: string
  /** Patterns: 'intent.confirmed', 'intent.*', '*'. */
  event_types: readonly string[]
  description?: string | null
}

export type CreateWebhookEndpointReturnType = {
  endpoint: WebhookEndpointRow
  /** `whsec_…`: shown to the caller once and stored only sealed; nothing can show it again. */
  secret: string
}

/**
 * Checks the URL (WEBHOOK_URL_INVALID) and the patterns (VALIDATION_FAILED), makes a secret, and stores it sealed for
 * the new endpoint's id (purpose 'webhook'). The secret is for the response only: never log it or audit it.
 *
 * @example
 * const { endpoint, secret } = await createWebhookEndpoint(ctx, orgId, {
 *   url: 'https://example.com/hooks/bursar', event_types: ['intent.*', 'approval.requested'],
 * })
 */
export async function createWebhookEndpoint(
  deps: CreateWebhookEndpointDependencies,
  orgId: string,
  parameters: CreateWebhookEndpointParameters,
): Promise<CreateWebhookEndpointReturnType> {
  const url = assertWebhookUrl(parameters.url)
  const eventTypes = assertWebhookEventTypes(parameters.event_types)
  const secret = newWebhookSecret()
  const endpoint = await insertWebhookEndpoint(deps.db, {
    orgId,
    url,
    description: parameters.description ?? null,
    eventTypes,
    sealSecret: (endpointId) => sealWebhookSecret(deps.keystore, endpointId, secret),
  })
  return { endpoint, secret }
}
