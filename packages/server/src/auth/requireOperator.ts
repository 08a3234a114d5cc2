/** The operator token guards what describes the installation (readiness, metrics): the same answers as any credential. */
import { timingSafeEqual } from 'node:crypto'
import { BursarError } from '@bursar/core/errors'
import type { FastifyRequest } from 'fastify'
import type { ServerContext } from '../context.ts'

export function requireOperator(ctx: ServerContext, request: FastifyRequest): void {
  const expected = ctx.config.operatorToken
  const header = request.headers.authorization
  if (header === undefined) {
    throw new BursarError('UNAUTHENTICATED', 'missing Authorization: Bearer <operator token>')
  }
  const given = /^Bearer\s+(\S+)$/i.exec(header)?.[1]
  if (given === undefined) {
    throw new BursarError('UNAUTHENTICATED', 'Authorization header must be "Bearer <operator token>"')
  }
  const a = Buffer.from(given)
  const b = Buffer.from(expected ?? '')
  // Unset operator token: nobody gets in (there is no default to guess).
  if (expected === undefined || expected.length === 0 || a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new BursarError('INVALID_API_KEY', 'this endpoint takes the operator token (BURSAR_OPERATOR_TOKEN)')
  }
}
