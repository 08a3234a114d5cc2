import { describe, expect, test } from 'vitest'
import { assertWebhookUrl } from './assertWebhookUrl.ts'

function refusal(url: string): unknown {
  try {
    assertWebhookUrl(url)
  } catch (error) {
    return error
  }
  return expect.unreachable(`${url} was accepted`)
}

describe('assertWebhookUrl', () => {
  test('accepts absolute https and http URLs, normalised', () => {
    expect(assertWebhookUrl('https://example.com/hooks/bursar?source=bursar')).toBe(
      'https://example.com/hooks/bursar?source=bursar',
    )
    expect(assertWebhookUrl('HTTPS://Example.COM')).toBe('https://example.com/')
    expect(assertWebhookUrl('http://127.0.0.1:8080/hook')).toBe('http://127.0.0.1:8080/hook')
    expect(assertWebhookUrl('http://[::1]:9000/')).toBe('http://[::1]:9000/')
  })

  test('error: not absolute, not http(s), or with a user or password → WEBHOOK_URL_INVALID', () => {
    for (const url of [
      '',
      '/hooks',
      'example.com/hooks',
      'ftp://example.com/hooks',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'ws://example.com/hooks',
      'https://user@example.com/hooks',
      'https://:pass@example.com/hooks',
      'https://user:pass@example.com/hooks',
      `https://example.com/${'a'.repeat(2048)}`,
    ]) {
      expect(refusal(url), url).toMatchObject({ code: 'WEBHOOK_URL_INVALID' })
    }
  })

  test('error: the refusal never repeats the URL (it may hold credentials)', () => {
    const error = refusal('https://admin:hunter2@example.com/hooks') as Error & { details: unknown }
    const exposed = [error.message, error.stack, JSON.stringify(error.details)].join('\n')
    expect(exposed).not.toContain('hunter2')
    expect(exposed).not.toContain('example.com')
  })
})
