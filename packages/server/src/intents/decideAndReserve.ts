/**
 * The decision transaction: lock the agent, read usage, evaluate, and write the intent with its reservations,
 * events and audit entries, all or nothing. Serialised per agent by the row lock; that is what makes limits
 * impossible to race, across any number of API processes. What will be signed is fixed here and bound to the
 * decision by a MAC (integrity/decisionMac.ts).
 */
import type { IntentRequest, IntentStatus } from '@bursar/core/api'
import { type ApprovalRequest, approvalHash, approvalRequest } from '@bursar/core/approvals'
import { BursarError, isBursarError } from '@bursar/core/errors'
import type { Decision } from '@bursar/core/policy'
import {
  findIntentByIdempotencyKey,
  getAgent,
  type IntentRow,
  insertApprovalRequest,
  insertDecidedIntent,
  lockAgent,
  newId,
  readDecisionState,
  readUsage,
  type WalletRow,
} from '@bursar/store'
import { breakerError } from '../breakers/breakerError.ts'
import { checkDecisionSignals, trip } from '../breakers/breakerSignals.ts'
import type { ServerContext } from '../context.ts'
import { approvalRequestMac } from '../integrity/approvalMac.ts'
import { decisionMac } from '../integrity/decisionMac.ts'
import {
  evaluateWithUsage,
  type LoadedPolicy,
  loadPolicy,
  noPolicyDecision,
  PolicyTamperedError,
  usageQueryFor,
} from './decideIntent.ts'
import type { PreparedIntent } from './prepareIntent.ts'
import { recordRefusal } from './recordRefusal.ts'

export type DecideAndReserveParameters = {
  agentId: string
  wallet: WalletRow
  request: IntentRequest
  /** The prepared intent with its fee effect. */
  prepared: PreparedIntent
  maxFee: bigint
  requestHash: string
  idempotencyKey: string | null
}

export type DecideAndReserveReturnType =
  | { row: IntentRow; replayed: boolean; refused?: undefined }
  | { refused: BursarError; row: IntentRow; replayed: false }

// The last policy version this process used per agent: a guess that lets usage ride along with the state read.
const latestPolicies = new Map<string, LoadedPolicy>()

export async function decideAndReserve(
  ctx: ServerContext,
  params: DecideAndReserveParameters,
): Promise<DecideAndReserveReturnType> {
  return ctx.db.transaction(async (tx) => {
    // The agent row lock serialises decisions per agent. Everything the decision reads (policy version, breakers,
    // usage) comes from a *later* statement: under READ COMMITTED a statement's snapshot is taken before it waits
    // for a lock, so anything read alongside the lock could miss what the previous holder just committed.
    const agentStatus = await lockAgent(tx, params.agentId)
    if (!agentStatus || agentStatus === 'deleted') throw new BursarError('AGENT_NOT_FOUND', 'agent not found')
    const refuse = async (error: BursarError): Promise<DecideAndReserveReturnType> => ({
      refused: error,
      row: await recordRefusal(ctx, tx, {
        agentId: params.agentId,
        walletId: params.wallet.id,
        request: params.request,
        requestHash: params.requestHash,
        prepared: params.prepared,
        error,
      }),
      replayed: false,
    })
    const intentEffective = params.prepared.effective
    // Usage is read speculatively for the policy version this process last saw, in the same round trip.
    const guess = latestPolicies.get(params.agentId)
    const state = await readDecisionState(
      tx,
      params.agentId,
      guess ? usageQueryFor(guess.policy, intentEffective) : undefined,
    )
    if (params.idempotencyKey !== null) {
      const existing = await findIntentByIdempotencyKey(tx, params.agentId, params.idempotencyKey)
      if (existing) return { row: existing, replayed: true }
    }
    if (agentStatus === 'paused') {
      return refuse(new BursarError('AGENT_PAUSED', 'the agent is paused; an owner must resume it'))
    }
    if (state.breaker) return refuse(breakerError(state.breaker))
    let decision: Decision
    let loaded: LoadedPolicy | undefined
    const policyVersion = state.policyVersion
    // Versions only grow: fewer than this process has already used means one was deleted under it.
    if (guess !== undefined && (policyVersion === null || policyVersion < guess.version)) {
      const reason = `policy version ${guess.version} was in force but the newest in the database is ${policyVersion ?? 'none'} (deleted outside Bursar)`
      await trip(ctx, tx, {
        agentId: params.agentId,
        signal: 'policy_tampered',
        reason,
        actor: { type: 'system', id: null },
      })
      return refuse(breakerError({ scope: 'agent', reason }))
    }
    if (policyVersion === null) {
      decision = noPolicyDecision(intentEffective)
    } else {
      const hit = guess !== undefined && guess.version === policyVersion
      try {
        loaded = hit ? guess : await loadPolicy(ctx, tx, params.agentId, policyVersion)
      } catch (error) {
        if (isBursarError(error) && error.code === 'POLICY_OUTDATED') return refuse(error)
        if (!(error instanceof PolicyTamperedError)) throw error
        // A policy changed outside Bursar decides nothing: freeze the agent until an owner looks.
        await trip(ctx, tx, {
          agentId: params.agentId,
          signal: 'policy_tampered',
          reason: error.message,
          actor: { type: 'system', id: null },
        })
        return refuse(breakerError({ scope: 'agent', reason: error.message }))
      }
      if (!hit) {
        if (latestPolicies.size > 100_000) latestPolicies.clear()
        latestPolicies.set(params.agentId, loaded)
      }
      const usage =
        hit && state.usage
          ? state.usage
          : await readUsage(tx, params.agentId, usageQueryFor(loaded.policy, intentEffective))
      decision = evaluateWithUsage(ctx, loaded.policy, { intent: intentEffective, agentStatus }, usage)
    }
    const status =
      decision.outcome === 'allow' ? 'queued' : decision.outcome === 'deny' ? 'rejected' : 'pending_approval'
    const events: Array<{ from: IntentStatus | null; to: IntentStatus }> = [{ from: null, to: 'received' }]
    if (status === 'queued')
      events.push({ from: 'received', to: 'approved' }, { from: 'approved', to: 'queued' })
    else events.push({ from: 'received', to: status })
    const id = newId('int')
    const { tx: json, entry } = params.prepared
    const { adapter } = entry
    const signable = { json, maxFee: params.maxFee.toString() }
    const decidedAt = new Date()
    // What the approvers are asked (ADR 0007): quorums and expiry read from the policy the decision was made under.
    const approval: (ApprovalRequest & { id: string }) | undefined =
      status === 'pending_approval' && loaded !== undefined
        ? {
            id: newId('apr'),
            ...approvalRequest(loaded.policy, decision.approval?.requirements ?? [], decidedAt),
          }
        : undefined
    // An allowed decision authorises signing for a bounded time; one that needs approval only binds what the approvers
    // will be shown (approvals issue their own authority), for as long as its request waits.
    const expiresAt =
      approval?.expiresAt ?? new Date(decidedAt.getTime() + ctx.config.executor.decisionTtlSeconds * 1000)
    const mac =
      status === 'rejected' || loaded === undefined || policyVersion === null
        ? null
        : decisionMac(ctx.keystore, {
            outcome: status === 'queued' ? 'allow' : 'require_approval',
            notAfter: expiresAt.toISOString(),
            intentId: id,
            agentId: params.agentId,
            walletId: params.wallet.id,
            derivationIndex: params.wallet.derivation_index,
            network: adapter.network.name,
            chainKey: adapter.chainKey,
            tx: json,
            maxFee: signable.maxFee,
            policyVersion,
            policyHash: loaded.documentHash,
          })
    const intent = await insertDecidedIntent(
      tx,
      {
        id,
        agentId: params.agentId,
        walletId: params.wallet.id,
        network: adapter.network.name,
        status,
        request: params.request,
        requestHash: params.requestHash,
        idempotencyKey: params.idempotencyKey,
        // What the transaction really moves (read from its bytes), not what the request claimed.
        asset: decision.effective.asset,
        amount: decision.effective.amount,
        recipient: adapter.formatAddress(decision.effective.recipient),
        recipients: decision.effective.recipients,
        decision,
        policyVersion,
        error: null,
        ...(status === 'rejected' ? {} : { tx: signable, decisionMac: mac, decisionExpiresAt: expiresAt }),
      },
      {
        events,
        reservations: status === 'rejected' ? [] : decision.reservations,
        // One entry for what happened atomically: received, decided under this policy version, and where it went.
        audit: [
          {
            actor: { type: 'agent', id: params.agentId },
            action: 'intent.decided',
            data: {
              request_hash: params.requestHash,
              network: adapter.network.name,
              asset: decision.effective.asset,
              amount: decision.effective.amount,
              recipient: decision.effective.recipient,
              recipients: decision.effective.recipients,
              max_fee: signable.maxFee,
              idempotency_key: params.idempotencyKey,
              outcome: decision.outcome,
              policy_version: policyVersion,
              policy_hash: loaded?.documentHash ?? null,
              reasons: decision.reasons,
              status,
              ...(approval === undefined
                ? {}
                : {
                    approval_request_id: approval.id,
                    approval_expires_at: approval.expiresAt.toISOString(),
                  }),
            },
          },
        ],
      },
    )
    if (approval !== undefined && policyVersion !== null) {
      const agent = await getAgent(tx, params.agentId)
      const hash = approvalHash({
        network: adapter.network.name,
        agentId: params.agentId,
        intentId: id,
        binding: adapter.approvalBinding(json),
        policyVersion,
      })
      const rules = approval.rules.map((rule) => ({ rule: rule.rule, timelockSeconds: rule.timelockSeconds }))
      const quorums = approval.quorums.map((quorum) => ({
        rule: quorum.rule,
        quorum: quorum.quorum,
        accounts: [...quorum.accounts],
        members: quorum.members ?? null,
        role: quorum.role,
      }))
      // What the request binds, written once: stored as it is and MACed as it is.
      const bound = {
        id: approval.id,
        intentId: id,
        agentId: params.agentId,
        orgId: agent!.org_id,
        approvalHash: hash,
        policyVersion,
        rules,
        quorums,
        expiresAt: approval.expiresAt,
      }
      await insertApprovalRequest(tx, {
        ...bound,
        createdAt: decidedAt,
        mac: approvalRequestMac(ctx.keystore, bound),
      })
    }
    if (loaded)
      await checkDecisionSignals(ctx, tx, { agentId: params.agentId, policy: loaded.policy, decision })
    return { row: intent, replayed: false }
  })
}
