/**
 * An approver approves or denies a request, with a second factor proven in the same request. Under the intent's lock
 * (then the request's), the decision is recorded once per approver, the approvals engine reads every decision, and
 * the request and its intent move together: a quorum met approves (and queues, unless a timelock holds it); any
 * denial ends it and releases the reservation. Refusals change nothing and are audited.
 */
import { checkApprover, evaluateApprovals, executableAt } from '@bursar/core/approvals'
import { BursarError, isBursarError } from '@bursar/core/errors'
import {
  type ApprovalRequestRow,
  appendAudit,
  getApprovalRequest,
  getIntent,
  insertApprovalDecision,
  listApprovalDecisions,
  releaseReservations,
  setApprovalStatus,
  transitionIntent,
} from '@bursar/store'
import type { FastifyRequest } from 'fastify'
import { proveSecondFactor, type SecondFactorProof } from '../accounts/proveSecondFactor.ts'
import type { MemberPrincipal } from '../auth/authenticate.ts'
import type { ServerContext } from '../context.ts'
import { approvalDecisionMac } from '../integrity/approvalMac.ts'
import { countableDecisions } from './countableDecisions.ts'
import { bindingProblem, queueApproved } from './queueApproved.ts'
import { quorumsOf } from './quorumsOf.ts'

export type DecideApprovalParameters = {
  requestId: string
  decision: 'approve' | 'deny'
  secondFactor: SecondFactorProof
}

export async function decideApproval(
  ctx: ServerContext,
  request: FastifyRequest,
  principal: MemberPrincipal,
  parameters: DecideApprovalParameters,
): Promise<ApprovalRequestRow> {
  try {
    return await decide(ctx, request, principal, parameters)
  } catch (error) {
    if (isBursarError(error) && error.code !== 'APPROVAL_NOT_FOUND' && error.code !== 'INTERNAL') {
      await appendAudit(ctx.db, [
        {
          actor: principal.actor,
          action: 'approval.refused',
          subject: { type: 'approval', id: parameters.requestId },
          data: { decision: parameters.decision, code: error.code },
        },
      ])
    }
    throw error
  }
}

async function decide(
  ctx: ServerContext,
  httpRequest: FastifyRequest,
  principal: MemberPrincipal,
  parameters: DecideApprovalParameters,
): Promise<ApprovalRequestRow> {
  const notFound = () =>
    new BursarError('APPROVAL_NOT_FOUND', 'approval request not found', {
      details: { approval_id: parameters.requestId },
    })
  const found = await getApprovalRequest(ctx.db, parameters.requestId)
  if (found === undefined || found.org_id !== principal.orgId) throw notFound()
  // An approval is a person's: a service token may read requests but never decide one.
  if (principal.accountId === null)
    throw new BursarError('NOT_AN_APPROVER', 'approvals are decided by people, not service tokens')
  const accountId = principal.accountId
  const approver = { approverId: accountId as never, role: principal.role }
  const refusal = checkApprover(quorumsOf(found), approver)
  if (refusal !== undefined)
    throw new BursarError('NOT_AN_APPROVER', 'this account may not decide this request', {
      details: { reason: refusal },
    })
  if (found.status !== 'pending')
    throw new BursarError('APPROVAL_NOT_PENDING', `the request is ${found.status}`, {
      details: { status: found.status },
    })
  // Proven before any lock is taken (a passkey or argon2-free check, but still I/O), and used up either way.
  const factor = await proveSecondFactor(ctx, httpRequest, accountId, parameters.secondFactor)
  const outcome = await ctx.db.transaction(async (tx) => {
    const intent = await getIntent(tx, found.intent_id, { forUpdate: true })
    const locked = await getApprovalRequest(tx, found.id, { forUpdate: true })
    if (!intent || !locked) throw notFound()
    const now = new Date()
    if (locked.status !== 'pending')
      throw new BursarError('APPROVAL_NOT_PENDING', `the request is ${locked.status}`, {
        details: { status: locked.status },
      })
    if (locked.expires_at.getTime() <= now.getTime())
      throw new BursarError('APPROVAL_NOT_PENDING', 'the request has expired', {
        details: { status: 'expired' },
      })
    // Checked before anything is recorded: nobody approves what the request no longer describes.
    if (intent.status === 'pending_approval' && (await bindingProblem(ctx, tx, intent, locked)) !== undefined)
      throw new BursarError(
        'APPROVAL_VOID',
        'what this request was bound to has changed: it cannot be approved',
        {
          details: { approval_id: locked.id },
        },
      )
    await insertApprovalDecision(tx, {
      requestId: locked.id,
      accountId,
      role: principal.role,
      decision: parameters.decision,
      factor,
      decidedAt: now,
      mac: approvalDecisionMac(ctx.keystore, {
        requestId: locked.id,
        accountId,
        role: principal.role,
        decision: parameters.decision,
        factor,
        decidedAt: now,
      }),
    })
    const decisions = await listApprovalDecisions(tx, locked.id)
    const state = evaluateApprovals(
      { quorums: quorumsOf(locked), expiresAt: locked.expires_at },
      await countableDecisions(tx, locked.org_id, decisions),
      now,
    )
    const audit = [
      {
        actor: principal.actor,
        action: `approval.${parameters.decision === 'approve' ? 'approved_by' : 'denied_by'}`,
        subject: { type: 'intent', id: intent.id },
        data: { approval_request_id: locked.id, role: principal.role, factor, status: state.status },
      },
    ]
    if (state.status === 'denied') {
      await setApprovalStatus(tx, locked.id, { status: 'denied', decidedAt: now })
      await transitionIntent(
        tx,
        intent.id,
        ['pending_approval'],
        'denied',
        {},
        {
          by: 'account',
          approval_request_id: locked.id,
        },
      )
      const released = await releaseReservations(tx, intent.id)
      audit.push({
        actor: principal.actor,
        action: 'intent.denied',
        subject: { type: 'intent', id: intent.id },
        data: { approval_request_id: locked.id, reservation_released: released > 0 } as never,
      })
    } else if (state.status === 'approved') {
      const rules = (locked.rules as Array<{ timelockSeconds?: number }> | null) ?? []
      const at = executableAt(
        state,
        rules.map((rule) => ({ timelockSeconds: rule.timelockSeconds ?? 0 })),
      )
      const approved = await setApprovalStatus(tx, locked.id, {
        status: 'approved',
        decidedAt: now,
        executableAt: at,
      })
      await transitionIntent(
        tx,
        intent.id,
        ['pending_approval'],
        'approved',
        {},
        {
          by: 'account',
          approval_request_id: locked.id,
        },
      )
      audit.push({
        actor: principal.actor,
        action: 'intent.approved',
        subject: { type: 'intent', id: intent.id },
        data: { approval_request_id: locked.id, executable_at: at.toISOString() } as never,
      })
      await appendAudit(tx, audit)
      const moved = await getIntent(tx, intent.id)
      const queued = await queueApproved(ctx, tx, moved!, approved!, now)
      return { queued }
    }
    await appendAudit(tx, audit)
    return { queued: undefined }
  })
  if (outcome.queued === 'queued') ctx.wakeExecutor()
  if (outcome.queued === 'void')
    throw new BursarError('APPROVAL_VOID', 'what this request was bound to has changed: the intent failed', {
      details: { approval_id: found.id },
    })
  return (await getApprovalRequest(ctx.db, found.id))!
}
