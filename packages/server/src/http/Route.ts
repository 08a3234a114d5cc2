/**
 * A route is data: method, path, who may call it, zod schemas for what comes in and what goes out, and the handler.
 * Registration, authentication, the OpenAPI document and the authorization test all read the same table, so a route
 * cannot be documented one way and enforced another.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import type { AccountPrincipal, AgentPrincipal, MemberPrincipal } from '../auth/authenticate.ts'
import type { ServerContext } from '../context.ts'

/**
 * Who may call a route: nobody needs a credential (`none`), the operator token (`operator`), an agent API key
 * (`agent`), a member of an organisation with at least a role (`viewer` < `approver` < `admin`; a person's session
 * or a service token), an agent or a viewer (`any`; the handler scopes what each sees), a signed-in person in or out
 * of an organisation (`session`), or the instance admin (`instance_admin`).
 */
export type Access =
  | 'none'
  | 'operator'
  | 'agent'
  | 'any'
  | 'session'
  | 'viewer'
  | 'approver'
  | 'admin'
  | 'instance_admin'

/** A person's own session, whether or not it acts in an organisation. */
type SessionPrincipal = (AccountPrincipal | MemberPrincipal) & {
  accountId: string
  session: NonNullable<MemberPrincipal['session']>
}

type PrincipalFor<A extends Access> = A extends 'agent'
  ? AgentPrincipal
  : A extends 'viewer' | 'approver' | 'admin'
    ? MemberPrincipal
    : A extends 'any'
      ? AgentPrincipal | MemberPrincipal
      : A extends 'session'
        ? SessionPrincipal
        : A extends 'instance_admin'
          ? AccountPrincipal | MemberPrincipal
          : null

/** A JSON response by default; other media types (an event stream, Prometheus text) say so. */
export type ResponseSpec = z.ZodType | { schema: z.ZodType; contentType: string }

type Output<S> = S extends z.ZodType ? z.output<S> : undefined

export type RouteInput<A extends Access, P, Q, B, H> = {
  ctx: ServerContext
  principal: PrincipalFor<A>
  params: Output<P>
  query: Output<Q>
  body: Output<B>
  headers: Output<H>
  request: FastifyRequest
  reply: FastifyReply
}

/** What a handler returns when the status is not the route's first one, or it sets headers. */
export type Responded = { status: number; body: unknown; headers?: Record<string, string> }
const responded = Symbol('responded')
export const respond = (status: number, body: unknown, headers?: Record<string, string>): Responded =>
  ({ [responded]: true, status, body, ...(headers ? { headers } : {}) }) as Responded
export const isResponded = (value: unknown): value is Responded =>
  typeof value === 'object' && value !== null && responded in value

export type Route = {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** Fastify syntax: `/v1/agents/:id`. */
  path: string
  summary: string
  access: Access
  /**
   * A person's session must have proven a second factor in the last five minutes (SECOND_FACTOR_REQUIRED
   * otherwise). Service tokens pass: they are made with step-up and cannot prove one.
   */
  stepUp?: true
  params?: z.ZodType
  query?: z.ZodType
  body?: z.ZodType
  /**
   * false: the body schema documents the route, and the handler validates `request.body` itself (a policy
   * document answers POLICY_INVALID with every problem, not VALIDATION_FAILED).
   */
  validateBody?: false
  /** Request headers the route reads (lower-case names). */
  headers?: z.ZodType
  /** Each success status and what it carries; errors are always the shared error body. */
  responses: Record<number, ResponseSpec>
  /**
   * Resolves to the body of the route's first response status, or `respond(status, body)`; a handler that takes
   * over the connection (an event stream) hijacks the reply and resolves to nothing.
   */
  handler(input: RouteInput<Access, unknown, unknown, unknown, unknown>): Promise<unknown>
}

/**
 * Infers the handler's input from the schemas, so a handler cannot read a field the route does not validate.
 * @example defineRoute({ method: 'GET', path: '/v1/agents/:id', access: 'owner', params: idParams, responses: { 200: agentSchema }, summary: '…', handler: async ({ params }) => … })
 */
export function defineRoute<
  A extends Access,
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  H extends z.ZodType | undefined = undefined,
>(
  route: Omit<Route, 'access' | 'params' | 'query' | 'body' | 'headers' | 'handler'> & {
    access: A
    params?: P
    query?: Q
    body?: B
    headers?: H
    handler(input: RouteInput<A, P, Q, B, H>): Promise<unknown>
  },
): Route {
  return route as unknown as Route
}
