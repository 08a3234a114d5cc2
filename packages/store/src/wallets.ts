/** Agent wallets (derived from the master seed) and the nonce counters of their accounts, per chain. */
import type { Sql } from './Db.ts'
import { newId } from './newId.ts'

export type WalletRow = {
  id: string
  agent_id: string
  /** The chain family ('evm', …); the family's adapter derived the address from the key at the index. */
  family: string
  address: string
  key_id: string
  derivation_index: number
  created_at: Date
}

/**
 * Allocates the family's next derivation index under a lock on the key row, so two agents never share a key, and
 * stores the address `address(index)` gives for it.
 */
export async function insertWallet(
  tx: Sql,
  params: { agentId: string; keyId: string; family: string; address: (index: number) => string },
): Promise<WalletRow> {
  await tx.query('select id from key_material where id = $1 for update', [params.keyId])
  const [next] = await tx.query<{ next: number }>(
    'select coalesce(max(derivation_index) + 1, 0)::int as next from wallets where key_id = $1 and family = $2',
    [params.keyId, params.family],
  )
  const index = next!.next
  const [row] = await tx.query<WalletRow>(
    `insert into wallets (id, agent_id, family, address, key_id, derivation_index)
     values ($1, $2, $3, $4, $5, $6) returning *`,
    [newId('wal'), params.agentId, params.family, params.address(index), params.keyId, index],
  )
  return row!
}

export async function getWallet(sql: Sql, id: string): Promise<WalletRow | undefined> {
  const [row] = await sql.query<WalletRow>('select * from wallets where id = $1', [id])
  return row
}

/** The agent's wallet of a chain family (one per family). */
export async function getAgentWallet(
  sql: Sql,
  agentId: string,
  family: string,
): Promise<WalletRow | undefined> {
  const [row] = await sql.query<WalletRow>(
    'select * from wallets where agent_id = $1 and family = $2 order by created_at limit 1',
    [agentId, family],
  )
  return row
}

export async function listAgentWallets(sql: Sql, agentId: string): Promise<WalletRow[]> {
  return sql.query<WalletRow>('select * from wallets where agent_id = $1 order by id', [agentId])
}

/** Which nonce counter: an account on a chain ("evm:8453"), whatever network names point at that chain. */
export type NonceKey = { chain: string; address: string }

/**
 * Locks the account's nonce counter until the transaction ends and returns the next nonce; creates the counter the
 * first time from the chain's pending count, or from the highest nonce Bursar already signed for this wallet on
 * `networks` (the names of this chain) if that is higher. This lock makes nonce assignment safe across executors.
 */
export async function lockNonce(
  tx: Sql,
  key: NonceKey & { walletId: string; networks: readonly string[] },
  chainNonce: () => Promise<number>,
): Promise<number> {
  const address = key.address.toLowerCase()
  const select = () =>
    tx.query<{ next_nonce: number }>(
      'select next_nonce from nonce_counters where chain = $1 and address = $2 for update',
      [key.chain, address],
    )
  let [row] = await select()
  if (!row) {
    const [signed] = await tx.query<{ next: number | null }>(
      'select max(nonce) + 1 as next from intents where wallet_id = $1 and network = any($2::text[]) and nonce is not null',
      [key.walletId, key.networks],
    )
    const initial = Math.max(await chainNonce(), signed?.next ?? 0)
    await tx.query(
      'insert into nonce_counters (chain, address, next_nonce) values ($1, $2, $3) on conflict do nothing',
      [key.chain, address, initial],
    )
    ;[row] = await select()
  }
  return row!.next_nonce
}

/** The counter's value, locked, or undefined when none was created yet. */
export async function readNonceCounter(tx: Sql, key: NonceKey): Promise<number | undefined> {
  const [row] = await tx.query<{ next_nonce: number }>(
    'select next_nonce from nonce_counters where chain = $1 and address = $2 for update',
    [key.chain, key.address.toLowerCase()],
  )
  return row?.next_nonce
}

export async function setNextNonce(tx: Sql, key: NonceKey, nextNonce: number): Promise<void> {
  await tx.query('update nonce_counters set next_nonce = $3 where chain = $1 and address = $2', [
    key.chain,
    key.address.toLowerCase(),
    nextNonce,
  ])
}
