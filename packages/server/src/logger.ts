/** pino JSON logs with every place a secret could sit redacted. */
import pino, { type DestinationStream, type Logger } from 'pino'

export const redactPaths = [
  'req.headers.authorization',
  'req.headers["idempotency-key"]',
  'headers.authorization',
  'authorization',
  '*.authorization',
  'masterKey',
  '*.masterKey',
  'operatorToken',
  '*.operatorToken',
  'mnemonic',
  '*.mnemonic',
  'apiKey',
  '*.apiKey',
  'api_key',
  '*.api_key',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'seed',
  '*.seed',
  'sealed',
  '*.sealed',
  'privateKey',
  '*.privateKey',
  'raw_tx',
  '*.raw_tx',
  'password',
  '*.password',
  'newPassword',
  '*.newPassword',
  'currentPassword',
  '*.currentPassword',
  'passwordHash',
  '*.passwordHash',
  'password_hash',
  '*.password_hash',
  // Sessions travel in cookies; TOTP secrets and recovery codes are second factors.
  'req.headers.cookie',
  '*.headers.cookie',
  'res.headers["set-cookie"]',
  '*.headers["set-cookie"]',
  'totp_secret',
  '*.totp_secret',
  'totpSecret',
  '*.totpSecret',
  'recovery_code',
  '*.recovery_code',
  'recoveryCode',
  '*.recoveryCode',
]

/** Query values may hold anything a client pasted there, keys included; log only their names. */
export function redactQuery(url: string): string {
  const at = url.indexOf('?')
  if (at < 0) return url
  const names = url
    .slice(at + 1)
    .split('&')
    .map((pair) => `${pair.split('=')[0]}=[redacted]`)
  return `${url.slice(0, at)}?${names.join('&')}`
}

export const serializers = {
  req(request: { method?: string; url?: string; id?: string }) {
    return { method: request.method, url: redactQuery(request.url ?? ''), id: request.id }
  },
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    { level, redact: { paths: redactPaths, censor: '[redacted]' }, base: { service: 'bursar' }, serializers },
    destination,
  )
}

export type { Logger }
