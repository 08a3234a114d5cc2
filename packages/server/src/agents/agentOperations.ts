/** An organisation's operations on agents, their API keys and policies. Each change is one transaction with its audit entry. */
import { canonicalHash } from '@bursar/core/audit'
import { BursarError } from '@bursar/core/errors'
import { type PolicyWarning, validatePolicy } from '@bursar/core/policy'
import {
  type AgentRow,
  type AgentStatus,
  type ApiKeyRow,
  appendAudit,
  getAgent,
  getApiKey,
  insertAgent,
  insertApiKey,
  insertPolicyVersion,
  insertWallet,
  type PolicyRow,
  revokeAgentApiKeys,
  revokeApiKey,
  type Sql,
  setAgentStatus,
  type WalletRow,
} from '@bursar/store'
import type { Caller } from '../auth/Caller.ts'
import type { ServerContext } from '../context.ts'
import { policyMac } from '../integrity/policyMac.ts'
import { issuesOfPolicy } from './policyIssues.ts'

/** Loads an agent of this organisation, locked; other organisations' agents look exactly like missing ones. */
export async function ownedAgent(tx: Sql, orgId: string, agentId: string): Promise<AgentRow> {
  const agent = await getAgent(tx, agentId, { forUpdate: true })
  if (!agent || agent.org_id !== orgId || agent.status === 'deleted') {
    throw new BursarError('AGENT_NOT_FOUND', 'agent not found', { details: { agent_id: agentId } })
  }
  return agent
}

export type CreateAgentReturnType = {
  agent: AgentRow
  /** One wallet per chain family the instance serves; the first is the first configured network's. */
  wallets: WalletRow[]
  wallet: WalletRow
  apiKey: { key: ApiKeyRow; secret: string } | null
  policy: PolicyRow | null
  warnings: PolicyWarning[]
}

export async function createAgent(
  ctx: ServerContext,
  caller: Caller,
  params: { name: string; policy?: unknown; createKey?: boolean },
): Promise<CreateAgentReturnType> {
  let warnings: PolicyWarning[] = []
  if (params.policy !== undefined) {
    const result = validatePolicy(params.policy)
    if (!result.ok)
      throw new BursarError('POLICY_INVALID', 'the policy document is invalid', {
        details: { issues: issuesOfPolicy(result.issues) },
      })
    warnings = result.warnings
  }
  return ctx.db.transaction(async (tx) => {
    const agent = await insertAgent(tx, caller.orgId, params.name)
    // The family's adapter says which key and which address; who holds the key says what its public half is.
    const wallets: WalletRow[] = []
    for (const { adapter, signers } of ctx.families.values()) {
      wallets.push(
        await insertWallet(tx, {
          agentId: agent.id,
          keyId: ctx.keystore.keyId,
          family: adapter.network.family,
          address: (index) =>
            adapter.addressOf(signers.publicKey(adapter.curve, adapter.derivationPath(index))),
        }),
      )
    }
    const apiKey = params.createKey === false ? null : await insertApiKey(tx, agent.id, 'default')
    const policy =
      params.policy === undefined
        ? null
        : await insertSealedPolicy(ctx, tx, agent.id, params.policy, caller.actor.id)
    await appendAudit(tx, [
      {
        actor: caller.actor,
        action: 'agent.created',
        subject: { type: 'agent', id: agent.id },
        data: { name: agent.name },
      },
      ...wallets.map((wallet) => ({
        actor: caller.actor,
        action: 'wallet.created',
        subject: { type: 'wallet', id: wallet.id },
        data: {
          agent_id: agent.id,
          address: wallet.address,
          family: wallet.family,
          derivation_index: wallet.derivation_index,
        },
      })),
      ...(apiKey
        ? [
            {
              actor: caller.actor,
              action: 'api_key.created',
              subject: { type: 'api_key', id: apiKey.key.id },
              data: { agent_id: agent.id, prefix: apiKey.key.prefix },
            },
          ]
        : []),
      ...(policy
        ? [
            {
              actor: caller.actor,
              action: 'policy.set',
              subject: { type: 'agent', id: agent.id },
              data: { version: policy.version, document_hash: policy.document_hash },
            },
          ]
        : []),
    ])
    return { agent, wallets, wallet: wallets[0]!, apiKey, policy, warnings }
  })
}

export async function changeAgentStatus(
  ctx: ServerContext,
  caller: Caller,
  agentId: string,
  status: AgentStatus,
): Promise<AgentRow> {
  return ctx.db.transaction(async (tx) => {
    const agent = await ownedAgent(tx, caller.orgId, agentId)
    if (agent.status === status) return agent
    const updated = await setAgentStatus(tx, agentId, status)
    const action =
      status === 'active' ? 'agent.resumed' : status === 'paused' ? 'agent.paused' : 'agent.deleted'
    if (status === 'deleted') {
      // A deleted agent's keys die with it.
      await revokeAgentApiKeys(tx, agentId)
    }
    await appendAudit(tx, [
      {
        actor: caller.actor,
        action,
        subject: { type: 'agent', id: agentId },
        data: { from: agent.status },
      },
    ])
    return updated
  })
}

export async function createApiKey(ctx: ServerContext, caller: Caller, agentId: string, name: string | null) {
  return ctx.db.transaction(async (tx) => {
    await ownedAgent(tx, caller.orgId, agentId)
    const created = await insertApiKey(tx, agentId, name)
    await appendAudit(tx, [
      {
        actor: caller.actor,
        action: 'api_key.created',
        subject: { type: 'api_key', id: created.key.id },
        data: { agent_id: agentId, prefix: created.key.prefix },
      },
    ])
    return created
  })
}

export async function revokeAgentKey(
  ctx: ServerContext,
  caller: Caller,
  agentId: string,
  keyId: string,
): Promise<ApiKeyRow> {
  return ctx.db.transaction(async (tx) => {
    await ownedAgent(tx, caller.orgId, agentId)
    const key = await revokeApiKey(tx, agentId, keyId)
    if (!key) throw new BursarError('API_KEY_NOT_FOUND', 'API key not found', { details: { key_id: keyId } })
    await appendAudit(tx, [
      {
        actor: caller.actor,
        action: 'api_key.revoked',
        subject: { type: 'api_key', id: keyId },
        data: { agent_id: agentId },
      },
    ])
    return key
  })
}

/** Rotation: a new key is issued and the old one revoked in the same transaction. */
export async function rotateAgentKey(ctx: ServerContext, caller: Caller, agentId: string, keyId: string) {
  return ctx.db.transaction(async (tx) => {
    await ownedAgent(tx, caller.orgId, agentId)
    const current = await getApiKey(tx, agentId, keyId, { forUpdate: true })
    // Rotating is for live keys; a revoked key stays revoked and mints nothing.
    if (!current || current.revoked_at !== null) {
      throw new BursarError('API_KEY_NOT_FOUND', 'no active API key with this id', {
        details: { key_id: keyId },
      })
    }
    const old = (await revokeApiKey(tx, agentId, keyId))!
    const created = await insertApiKey(tx, agentId, old.name)
    await appendAudit(tx, [
      {
        actor: caller.actor,
        action: 'api_key.rotated',
        subject: { type: 'api_key', id: keyId },
        data: { agent_id: agentId, replaced_by: created.key.id, prefix: created.key.prefix },
      },
    ])
    return created
  })
}

export async function setPolicy(ctx: ServerContext, caller: Caller, agentId: string, document: unknown) {
  const result = validatePolicy(document)
  if (!result.ok)
    throw new BursarError('POLICY_INVALID', 'the policy document is invalid', {
      details: { issues: issuesOfPolicy(result.issues) },
    })
  return ctx.db.transaction(async (tx) => {
    await ownedAgent(tx, caller.orgId, agentId)
    const policy = await insertSealedPolicy(ctx, tx, agentId, document, caller.actor.id)
    await appendAudit(tx, [
      {
        actor: caller.actor,
        action: 'policy.set',
        subject: { type: 'agent', id: agentId },
        data: {
          version: policy.version,
          document_hash: policy.document_hash,
          warnings: result.warnings.map((warning: PolicyWarning) => warning.code),
        },
      },
    ])
    return { policy, warnings: result.warnings }
  })
}

/** A new policy version with its document hash and MAC, so an edit made in the database later is refused. */
function insertSealedPolicy(
  ctx: ServerContext,
  tx: Sql,
  agentId: string,
  document: unknown,
  createdBy: string,
) {
  const documentHash = canonicalHash(document)
  return insertPolicyVersion(tx, {
    agentId,
    document,
    createdBy,
    documentHash,
    seal: (version) => policyMac(ctx.keystore, agentId, version, documentHash),
  })
}
