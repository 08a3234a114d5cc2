/** The one error base of Bursar: a stable code, a message for people, and details for programs. */
import { type ErrorCode, errorCodes } from './codes.ts'

export type BursarErrorParameters = {
  details?: Record<string, unknown>
  cause?: unknown
}

/**
 * @example
 * throw new BursarError('UNKNOWN_NETWORK', 'Network "mainnet" is not configured', { details: { network: 'mainnet' } })
 */
export class BursarError extends Error {
  override name = 'BursarError'
  readonly code: ErrorCode
  readonly details: Record<string, unknown>

  constructor(code: ErrorCode, message: string, parameters: BursarErrorParameters = {}) {
    super(message, parameters.cause === undefined ? undefined : { cause: parameters.cause })
    this.code = code
    this.details = parameters.details ?? {}
  }

  get status(): number {
    return errorCodes[this.code]
  }
}

export function isBursarError(error: unknown): error is BursarError {
  return error instanceof BursarError
}
