/** Agent wallets (derived from the master seed) and their per-network nonce counters. */
import type { Sql } from './Db.ts'
import { newId } from './newId.ts'

export type WalletRow = {
  id: string
  agent_id: string
  family: 'evm'
  address: string
  key_id: string
  derivation_index: number
  created_at: Date
}

/** Allocates the next derivation index under a lock on the key row, so two agents never share a key. */
export async function insertWallet(
  tx: Sql,
  params: { agentId: string; keyId: string; address: (index: number) => string },
): Promise<WalletRow> {
  await tx.query('select id from key_material where id = $1 for update', [params.keyId])
  const [next] = await tx.query<{ next: number }>(
    `select coalesce(max(derivation_index) + 1, 0)::int as next from wallets where key_id = $1 and family = 'evm'`,
    [params.keyId],
  )
  const index = next!.next
  const [row] = await tx.query<WalletRow>(
    `insert into wallets (id, agent_id, family, address, key_id, derivation_index)
     values ($1, $2, 'evm', $3, $4, $5) returning *`,
    [newId('wal'), params.agentId, params.address(index), params.keyId, index],
  )
  return row!
}

export async function getWallet(sql: Sql, id: string): Promise<WalletRow | undefined> {
  const [row] = await sql.query<WalletRow>('select * from wallets where id = $1', [id])
  return row
}

export async function getAgentWallet(sql: Sql, agentId: string): Promise<WalletRow | undefined> {
  const [row] = await sql.query<WalletRow>(
    `select * from wallets where agent_id = $1 and family = 'evm' order by created_at limit 1`,
    [agentId],
  )
  return row
}

export async function listAgentWallets(sql: Sql, agentId: string): Promise<WalletRow[]> {
  return sql.query<WalletRow>('select * from wallets where agent_id = $1 order by id', [agentId])
}

/**
 * Locks the wallet's nonce counter for `network` until the transaction ends; creates it from `chainNonce`
 * the first time. This lock is what makes nonce assignment safe across executor processes.
 */
export async function lockNonce(
  tx: Sql,
  walletId: string,
  network: string,
  chainNonce: () => Promise<number>,
): Promise<number> {
  const select = () =>
    tx.query<{ next_nonce: number }>(
      'select next_nonce from wallet_nonces where wallet_id = $1 and network = $2 for update',
      [walletId, network],
    )
  let [row] = await select()
  if (!row) {
    const initial = await chainNonce()
    await tx.query(
      'insert into wallet_nonces (wallet_id, network, next_nonce) values ($1, $2, $3) on conflict do nothing',
      [walletId, network, initial],
    )
    ;[row] = await select()
  }
  return row!.next_nonce
}

export async function setNextNonce(
  tx: Sql,
  walletId: string,
  network: string,
  nextNonce: number,
): Promise<void> {
  await tx.query('update wallet_nonces set next_nonce = $3 where wallet_id = $1 and network = $2', [
    walletId,
    network,
    nextNonce,
  ])
}
