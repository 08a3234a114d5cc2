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
]

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    { level, redact: { paths: redactPaths, censor: '[redacted]' }, base: { service: 'bursar' } },
    destination,
  )
}

export type { Logger }
