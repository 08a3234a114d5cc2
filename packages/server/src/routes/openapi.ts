/** The OpenAPI 3.1 document, built from the same zod schemas that validate requests, and a reference page. */
import { balancesResponseSchema, errorBodySchema, intentRequestSchema, intentSchema } from '@bursar/core/api'
import { errorCodes } from '@bursar/core/errors'
import { policyDocumentSchema } from '@bursar/core/policy'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'

type Operation = {
  method: string
  path: string
  summary: string
  auth: 'agent' | 'owner' | 'any' | 'operator' | 'none'
  body?: string
  response?: string
}

export const operations: Operation[] = [
  {
    method: 'post',
    path: '/v1/intents',
    summary: 'Submit an intent (Idempotency-Key header honoured)',
    auth: 'agent',
    body: 'IntentRequest',
    response: 'Intent',
  },
  {
    method: 'get',
    path: '/v1/intents',
    summary: 'List intents (status, network, agent_id filters; cursor pagination)',
    auth: 'any',
  },
  { method: 'get', path: '/v1/intents/{id}', summary: 'Get an intent', auth: 'any', response: 'Intent' },
  { method: 'get', path: '/v1/intents/{id}/events', summary: 'Status history of an intent', auth: 'any' },
  {
    method: 'post',
    path: '/v1/intents/{id}/cancel',
    summary: 'Cancel an intent before it is signed',
    auth: 'any',
    response: 'Intent',
  },
  {
    method: 'post',
    path: '/v1/intents/dry-run',
    summary: 'Evaluate an intent against the policy without effect',
    auth: 'any',
    body: 'IntentRequest',
  },
  { method: 'get', path: '/v1/wallets', summary: "The calling agent's wallets", auth: 'agent' },
  { method: 'get', path: '/v1/wallets/{id}', summary: 'Get a wallet', auth: 'any' },
  {
    method: 'get',
    path: '/v1/wallets/{id}/balances',
    summary: 'Native and token balances on every configured network',
    auth: 'any',
    response: 'Balances',
  },
  {
    method: 'post',
    path: '/v1/agents',
    summary: 'Create an agent with a wallet and an API key (shown once)',
    auth: 'owner',
  },
  { method: 'get', path: '/v1/agents', summary: 'List agents', auth: 'owner' },
  { method: 'get', path: '/v1/agents/{id}', summary: 'Get an agent', auth: 'owner' },
  {
    method: 'post',
    path: '/v1/agents/{id}/pause',
    summary: 'Pause an agent: new intents are refused',
    auth: 'owner',
  },
  { method: 'post', path: '/v1/agents/{id}/resume', summary: 'Resume a paused agent', auth: 'owner' },
  {
    method: 'delete',
    path: '/v1/agents/{id}',
    summary: 'Delete an agent (its keys are revoked, history kept)',
    auth: 'owner',
  },
  { method: 'get', path: '/v1/agents/{id}/keys', summary: "List an agent's API keys", auth: 'owner' },
  {
    method: 'post',
    path: '/v1/agents/{id}/keys',
    summary: 'Create an API key (secret shown once)',
    auth: 'owner',
  },
  { method: 'delete', path: '/v1/agents/{id}/keys/{keyId}', summary: 'Revoke an API key', auth: 'owner' },
  {
    method: 'post',
    path: '/v1/agents/{id}/keys/{keyId}/rotate',
    summary: 'Issue a new key and revoke this one',
    auth: 'owner',
  },
  { method: 'get', path: '/v1/agents/{id}/policy', summary: 'Current policy', auth: 'owner' },
  {
    method: 'put',
    path: '/v1/agents/{id}/policy',
    summary: 'Set a new policy version',
    auth: 'owner',
    body: 'PolicyDocument',
  },
  { method: 'get', path: '/v1/agents/{id}/policy/versions', summary: 'Policy history', auth: 'owner' },
  {
    method: 'post',
    path: '/v1/agents/{id}/policy/replay',
    summary: 'Re-evaluate past intents under a draft policy ({policy, since})',
    auth: 'owner',
  },
  {
    method: 'post',
    path: '/v1/agents/{id}/freeze',
    summary: "Trip the agent's circuit breaker ({reason})",
    auth: 'owner',
  },
  {
    method: 'post',
    path: '/v1/agents/{id}/unfreeze',
    summary: "Reset the agent's circuit breaker",
    auth: 'owner',
  },
  { method: 'get', path: '/v1/breakers', summary: 'Circuit breakers: global and per agent', auth: 'owner' },
  {
    method: 'get',
    path: '/v1/events',
    summary: 'Live audit events (Server-Sent Events; ?actions=breaker.,intent.failed; Last-Event-ID resumes)',
    auth: 'owner',
  },
  {
    method: 'post',
    path: '/v1/halt',
    summary: 'Trip the global breaker: nothing is accepted or signed',
    auth: 'owner',
  },
  { method: 'post', path: '/v1/halt/reset', summary: 'Reset the global breaker', auth: 'owner' },
  {
    method: 'get',
    path: '/v1/audit',
    summary: 'Audit log entries after a sequence number (filters: action, subject, actor)',
    auth: 'owner',
  },
  {
    method: 'get',
    path: '/v1/audit/head',
    summary: 'Sequence number and hash of the newest audit entry',
    auth: 'owner',
  },
  {
    method: 'get',
    path: '/v1/audit/checkpoint',
    summary:
      'The signed head of the audit chain, with the public key to check it (keep copies outside Bursar)',
    auth: 'owner',
  },
  { method: 'get', path: '/healthz', summary: 'Liveness', auth: 'none' },
  {
    method: 'get',
    path: '/readyz',
    summary: 'Readiness (database, RPCs and their chain ids)',
    auth: 'operator',
  },
  { method: 'get', path: '/metrics', summary: 'Prometheus metrics', auth: 'operator' },
]

export function buildOpenApiDocument() {
  const toSchema = (schema: z.ZodType) =>
    z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any', io: 'input' })
  const schemas: Record<string, unknown> = {
    IntentRequest: toSchema(intentRequestSchema),
    Intent: z.toJSONSchema(intentSchema, { target: 'draft-2020-12', unrepresentable: 'any' }),
    Balances: toSchema(balancesResponseSchema),
    Error: toSchema(errorBodySchema),
    PolicyDocument: toSchema(policyDocumentSchema),
  }
  const paths: Record<string, Record<string, unknown>> = {}
  for (const op of operations) {
    const parameters = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }))
    if (op.method === 'post' && op.path === '/v1/intents') {
      parameters.push({
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        schema: { type: 'string' },
      } as never)
    }
    paths[op.path] ??= {}
    paths[op.path]![op.method] = {
      summary: op.summary,
      ...(op.auth === 'none' ? { security: [] } : {}),
      ...(op.auth === 'agent' || op.auth === 'owner' || op.auth === 'operator'
        ? { 'x-bursar-auth': op.auth }
        : {}),
      parameters,
      ...(op.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: { $ref: `#/components/schemas/${op.body}` } } },
            },
          }
        : {}),
      responses: {
        '200': {
          description: 'OK',
          ...(op.response
            ? { content: { 'application/json': { schema: { $ref: `#/components/schemas/${op.response}` } } } }
            : {}),
        },
        default: {
          description: 'Error (see x-error-codes)',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Bursar API',
      version: '0.1.0',
      description: 'Policy-guarded wallets for AI agents. Amounts are base-unit integers as decimal strings.',
    },
    components: {
      schemas,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description:
            'Agent API key (bsr_…), owner token (bsr_owner_…), or the operator token (/readyz, /metrics)',
        },
      },
    },
    security: [{ bearer: [] }],
    paths,
    'x-error-codes': errorCodes,
  }
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)

export function renderReferencePage(): string {
  const rows = operations
    .map(
      (op) =>
        `<tr><td><code>${op.method.toUpperCase()}</code></td><td><code>${escapeHtml(op.path)}</code></td><td>${op.auth}</td><td>${escapeHtml(op.summary)}</td></tr>`,
    )
    .join('\n')
  const codes = Object.entries(errorCodes)
    .map(([code, status]) => `<tr><td><code>${code}</code></td><td>${status}</td></tr>`)
    .join('\n')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bursar API reference</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left}code{font-size:13px}</style>
</head><body><h1>Bursar API reference</h1>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Authenticate with <code>Authorization: Bearer &lt;key&gt;</code>.
Errors have the shape <code>{"error":{"code","message","details","request_id"}}</code>.</p>
<h2>Endpoints</h2><table><tr><th>method</th><th>path</th><th>auth</th><th>what</th></tr>${rows}</table>
<h2>Error codes</h2><table><tr><th>code</th><th>HTTP</th></tr>${codes}</table></body></html>`
}

export function registerOpenApiRoutes(app: FastifyInstance) {
  const document = buildOpenApiDocument()
  const page = renderReferencePage()
  app.get('/openapi.json', async () => document)
  app.get('/docs', async (_request, reply) => reply.type('text/html; charset=utf-8').send(page))
}
