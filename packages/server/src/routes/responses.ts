/** Rows as the API shows them: timestamps as ISO strings, secrets and hashes left out. */
import type { Agent, ApiKey, Breaker, Wallet } from '@bursar/core/api'
import type { AgentRow, ApiKeyRow, BreakerRow, WalletRow } from '@bursar/store'

export const walletResponse = (wallet: WalletRow): Wallet => ({
  id: wallet.id,
  agent_id: wallet.agent_id,
  family: wallet.family,
  address: wallet.address,
  created_at: wallet.created_at.toISOString(),
})

export const agentResponse = (agent: AgentRow, wallets: WalletRow[] = []): Agent => ({
  id: agent.id,
  name: agent.name,
  status: agent.status,
  wallets: wallets.map(walletResponse),
  created_at: agent.created_at.toISOString(),
  updated_at: agent.updated_at.toISOString(),
})

export const keyResponse = (key: ApiKeyRow): ApiKey => ({
  id: key.id,
  agent_id: key.agent_id,
  name: key.name,
  prefix: key.prefix,
  created_at: key.created_at.toISOString(),
  last_used_at: key.last_used_at?.toISOString() ?? null,
  revoked_at: key.revoked_at?.toISOString() ?? null,
})

export const breakerResponse = (row: BreakerRow): Breaker => ({
  scope: row.scope,
  agent_id: row.agent_id,
  tripped: row.tripped,
  signal: row.signal,
  reason: row.reason,
  tripped_at: row.tripped_at?.toISOString() ?? null,
  tripped_by: row.tripped_by,
  reset_at: row.reset_at?.toISOString() ?? null,
  reset_by: row.reset_by,
})
