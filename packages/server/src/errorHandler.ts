/** The one place errors become HTTP responses. Unknown errors are a plain 500; their details go to the log only. */
import { BursarError, type ErrorCode, errorCodes } from '@bursar/core/errors'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'

const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_BAD_URL: 'VALIDATION_FAILED',
  FST_ERR_MAX_PARAM_LENGTH: 'URI_TOO_LONG',
}

function toBursarError(error: unknown): BursarError | undefined {
  if (error instanceof BursarError) return error
  const fastifyError = error as Partial<FastifyError>
  const mapped = fastifyError.code ? fastifyCodes[fastifyError.code] : undefined
  if (mapped) return new BursarError(mapped, fastifyError.message ?? mapped)
  if (error instanceof SyntaxError && (fastifyError.statusCode ?? 0) === 400) {
    return new BursarError('INVALID_JSON', 'request body is not valid JSON')
  }
  return undefined
}

export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  // A client that hung up mid-request is not a server error: nobody is left to answer.
  if (
    request.raw.aborted ||
    request.raw.socket?.destroyed ||
    (error as { code?: string }).code === 'ECONNRESET'
  ) {
    request.log.info(
      { code: (error as { code?: string }).code },
      'client closed the connection before the response',
    )
    return reply
  }
  const known = toBursarError(error)
  if (known) {
    const status = errorCodes[known.code]
    if (status >= 500) request.log.warn({ code: known.code, err: known.cause ?? known }, known.message)
    // A throttled caller is told when to come back the standard way too.
    const retryAfter = known.details.retry_after_seconds
    if (status === 429 && typeof retryAfter === 'number')
      reply.header('retry-after', String(Math.ceil(retryAfter)))
    return reply.status(status).send({
      error: { code: known.code, message: known.message, details: known.details, request_id: request.id },
    })
  }
  request.log.error({ err: error }, 'unhandled error')
  return reply.status(500).send({
    error: { code: 'INTERNAL', message: 'internal error', details: {}, request_id: request.id },
  })
}
