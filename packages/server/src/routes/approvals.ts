/** /v1/approvals: members read their organisation's approval requests; approvers approve or deny with a second factor. */
import {
  approvalListQuerySchema,
  approvalListResponseSchema,
  approvalSchema,
  idParams,
  secondFactorSchema,
} from '@bursar/core/api'
import { BursarError } from '@bursar/core/errors'
import {
  type ApprovalRequestRow,
  getApprovalRequest,
  getIntent,
  listApprovalDecisions,
  listApprovalRequestsWithIntents,
  listDecisionsOfRequests,
  listMembers,
} from '@bursar/store'
import { z } from 'zod'
import { decideApproval } from '../approvals/decideApproval.ts'
import { toApprovalResponse } from '../approvals/toApprovalResponse.ts'
import type { ServerContext } from '../context.ts'
import { defineRoute } from '../http/Route.ts'

async function withIntent(ctx: ServerContext, request: ApprovalRequestRow, now: Date) {
  const intent = await getIntent(ctx.db, request.intent_id)
  // The foreign key keeps every request's intent: a missing one is a broken database, not a caller's mistake.
  if (!intent) throw new BursarError('INTERNAL', `approval request ${request.id} has no intent`)
  return toApprovalResponse(
    ctx,
    request,
    intent,
    await listApprovalDecisions(ctx.db, request.id),
    await currentRoles(ctx, request.org_id),
    now,
  )
}

async function currentRoles(ctx: ServerContext, orgId: string) {
  return new Map((await listMembers(ctx.db, orgId)).map((member) => [member.account_id, member.role]))
}

const decisionBody = z.object({ second_factor: secondFactorSchema }).strict()

const decisionRoute = (decision: 'approve' | 'deny') =>
  defineRoute({
    method: 'POST',
    path: `/v1/approvals/:id/${decision}`,
    summary:
      decision === 'approve'
        ? 'Approve a request with a second factor ({second_factor}); the quorum met, the intent goes to the signer'
        : 'Deny a request with a second factor ({second_factor}); the intent ends and its reservation returns',
    access: 'approver',
    params: idParams,
    body: decisionBody,
    responses: { 200: approvalSchema },
    async handler({ ctx, request, principal, params, body }) {
      const decided = await decideApproval(ctx, request, principal, {
        requestId: params.id,
        decision,
        secondFactor: body.second_factor,
      })
      return withIntent(ctx, decided, new Date())
    },
  })

export const approvalRoutes = [
  defineRoute({
    method: 'GET',
    path: '/v1/approvals',
    summary:
      "List your agents' approval requests, newest first (status, agent_id filters; cursor pagination)",
    access: 'viewer',
    query: approvalListQuerySchema,
    responses: { 200: approvalListResponseSchema },
    async handler({ ctx, principal, query }) {
      let before: string | undefined
      if (query.cursor !== undefined) {
        before = Buffer.from(query.cursor, 'base64url').toString('utf8')
        if (!/^apr_[0-9a-z]+$/.test(before))
          throw new BursarError('INVALID_CURSOR', 'cursor is not one this API returned')
      }
      // One query for the page and its intents, not one more per request.
      const rows = await listApprovalRequestsWithIntents(ctx.db, {
        orgId: principal.orgId,
        ...(query.agent_id === undefined ? {} : { agentId: query.agent_id }),
        ...(query.status === undefined ? {} : { status: query.status }),
        ...(before === undefined ? {} : { before }),
        limit: query.limit + 1,
      })
      const page = rows.slice(0, query.limit)
      const last = page[page.length - 1]
      const now = new Date()
      const decisions = await listDecisionsOfRequests(
        ctx.db,
        page.map(({ request }) => request.id),
      )
      const roles = await currentRoles(ctx, principal.orgId)
      return {
        data: page.map(({ request, intent }) =>
          toApprovalResponse(ctx, request, intent, decisions.get(request.id) ?? [], roles, now),
        ),
        next_cursor:
          rows.length > query.limit && last ? Buffer.from(last.request.id).toString('base64url') : null,
      }
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/approvals/:id',
    summary:
      'Get an approval request: the decoded action, the rules that asked, the quorum so far, the time left',
    access: 'viewer',
    params: idParams,
    responses: { 200: approvalSchema },
    async handler({ ctx, principal, params }) {
      const request = await getApprovalRequest(ctx.db, params.id)
      // Another organisation's request looks exactly like a missing one.
      if (request === undefined || request.org_id !== principal.orgId) {
        throw new BursarError('APPROVAL_NOT_FOUND', 'approval request not found', {
          details: { approval_id: params.id },
        })
      }
      return withIntent(ctx, request, new Date())
    },
  }),
  decisionRoute('approve'),
  decisionRoute('deny'),
]
