/** Checks a webhook endpoint's URL before it is stored: where every delivery will be sent. */
import { BursarError } from '@bursar/core/errors'

const maxLength = 2048

/**
 * An absolute `http:` or `https:` URL with a host and no credentials in it (a user or password in a URL ends up in
 * logs and in error messages; a receiver that needs a token takes it in the path or checks the signature instead).
 * Returns the URL as stored, normalised. Plain `http:` stays allowed for receivers on the same machine or network.
 * The error never repeats the URL: it may hold what it should not.
 *
 * @example assertWebhookUrl('https://example.com/hooks/bursar') // 'https://example.com/hooks/bursar'
 * @throws BursarError WEBHOOK_URL_INVALID
 */
export function assertWebhookUrl(url: string): string {
  const invalid = (reason: string) =>
    new BursarError('WEBHOOK_URL_INVALID', `webhook URL is invalid: ${reason}`, { details: { reason } })
  if (url.length === 0 || url.length > maxLength) throw invalid(`must be 1 to ${maxLength} characters`)
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw invalid('not an absolute URL')
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw invalid('must be http or https')
  if (parsed.username !== '' || parsed.password !== '') throw invalid('must not carry a user or password')
  if (parsed.hostname === '') throw invalid('has no host')
  return parsed.href
}
