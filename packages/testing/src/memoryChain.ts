/**
 * A chain family that lives in memory, with its own signer: the proof that the chain seam is real. Nothing in it is
 * EVM: Ed25519 accounts, addresses `mem` + 40 hex digits, no sequence numbers, a flat fee, blocks mined on demand.
 * Broadcast verifies each signature against the sender's public key, so a wrong signer or a tampered transaction
 * is refused the way a real chain would refuse it.
 */
import { createHash } from 'node:crypto'
import { parseAmount } from '@bursar/core/amounts'
import type { ChainAdapter, ChainFamily, NetworkInfo, SigningInput } from '@bursar/core/chains'
import { BursarError } from '@bursar/core/errors'
import type { Curve, Signer } from '@bursar/keys/signers'
import { ed25519 } from '@noble/curves/ed25519.js'
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js'

export type MemoryNetwork = NetworkInfo & { family: 'memory'; fee: string }

type MemoryTx = { from: string; to: string; amount: string; fee: string; id: number }
type Mined = { tx: MemoryTx; block: bigint; status: 'success' | 'reverted' }

const addressPattern = /^mem[0-9a-f]{40}$/

export type MemoryChain = {
  family: ChainFamily<MemoryNetwork>
  /** Signs with keys of its own, derived from the path: not the keystore. */
  signers: {
    publicKey(curve: Curve, path: string): Uint8Array
    withSigner<T>(curve: Curve, path: string, fn: (signer: Signer) => Promise<T>): Promise<T>
  }
  network: MemoryNetwork
  fund(address: string, amount: bigint): void
  balanceOf(address: string): bigint
  /** Includes every transaction broadcast since the last block in a new block. */
  mine(): bigint
  /** How many signatures the family's own signer made. */
  signatures(): number
}

export function createMemoryChain(name = 'memnet'): MemoryChain {
  const network: MemoryNetwork = {
    name,
    family: 'memory',
    nativeSymbol: 'MEM',
    nativeDecimals: 6,
    confirmations: 0,
    fee: '7',
  }
  const balances = new Map<string, bigint>()
  const pending: MemoryTx[] = []
  const mined = new Map<string, Mined>()
  const publicKeys = new Map<string, Uint8Array>()
  let block = 0n
  let nextId = 1
  let signed = 0
  const balanceOf = (address: string) => balances.get(address) ?? 0n
  const addressOf = (publicKey: Uint8Array) => `mem${bytesToHex(publicKey).slice(0, 40)}`
  const txId = (raw: string) => createHash('sha256').update(raw).digest('hex')
  const privateKeyOf = (path: string) => createHash('sha256').update(`memory-chain-test-key:${path}`).digest()

  const adapter: ChainAdapter = {
    network,
    chainKey: `memory:${name}`,
    defaultFeeCap: 1_000n,
    async verifyChain() {},
    curve: 'ed25519',
    derivationPath: (index) => `m/44'/999'/${index}'`,
    addressOf(publicKey) {
      const address = addressOf(publicKey)
      publicKeys.set(address, publicKey)
      return address
    },
    formatAddress: (address) => address.toLowerCase(),
    prepare(agentId, request) {
      if (request.type !== 'transfer' || (request.asset ?? 'native') !== 'native') {
        throw new BursarError('VALIDATION_FAILED', 'the memory chain moves its native asset only')
      }
      const to = request.to.toLowerCase()
      if (!addressPattern.test(to)) {
        throw new BursarError('INVALID_ADDRESS', 'to is not a memory-chain address', {
          details: { field: 'to' },
        })
      }
      const amount = parseAmount(request.amount)
      const asset = `${name}:native`
      return {
        tx: { to, amount: amount.toString() },
        effective: {
          agentId,
          network: name,
          type: 'transfer',
          target: to,
          value: amount,
          selectors: [],
          effects: [{ kind: 'transfer', asset, amount, to }],
          unvalued: [],
          targetIsToken: false,
          submitted: { asset, amount, recipient: to },
        },
      }
    },
    withFee(effective, maxFee) {
      return {
        ...effective,
        effects: [
          ...effective.effects.filter((effect) => effect.kind !== 'fee'),
          { kind: 'fee', asset: `${name}:native`, amount: maxFee },
        ],
      }
    },
    // The stored transaction holds only what the agent asked for; sender, fee and id are set when it is signed.
    approvalBinding: (tx) => tx,
    async simulate(from, tx) {
      const { amount } = tx as { amount: string }
      const needed = BigInt(amount) + BigInt(network.fee)
      if (balanceOf(from) < needed) {
        throw new BursarError('INSUFFICIENT_FUNDS', `${from} holds ${balanceOf(from)} but needs ${needed}`, {
          details: { address: from, network: name },
        })
      }
      return { tx, maxFee: BigInt(network.fee) }
    },
    sequenced: false,
    async nextSequence() {
      return 0
    },
    async readyToSign({ from, tx, maxFee }) {
      if (maxFee < BigInt(network.fee)) return { wait: 'the fee is above what was reserved' }
      const { to, amount } = tx as { to: string; amount: string }
      const unsigned: MemoryTx = { from, to, amount, fee: network.fee, id: nextId++ }
      return {
        build: (): SigningInput => ({
          curve: 'ed25519',
          payload: new TextEncoder().encode(JSON.stringify(unsigned)),
          unsigned,
        }),
      }
    },
    attachSignature(input, signature) {
      const raw = JSON.stringify({ tx: input.unsigned, signature: bytesToHex(signature.bytes) })
      return { raw, txId: txId(raw) }
    },
    noopTransaction: () => undefined,
    async broadcast(raw) {
      const { tx, signature } = JSON.parse(raw) as { tx: MemoryTx; signature: string }
      const publicKey = publicKeys.get(tx.from)
      const message = new TextEncoder().encode(JSON.stringify(tx))
      if (publicKey === undefined || !ed25519.verify(hexToBytes(signature), message, publicKey)) {
        throw new BursarError(
          'VALIDATION_FAILED',
          'the memory chain refused a transaction with a bad signature',
          {
            details: { retryable: false, reason: 'bad_signature' },
          },
        )
      }
      if (mined.has(txId(raw)) || pending.some((p) => p.id === tx.id)) return
      pending.push(tx)
      ids.set(tx.id, txId(raw))
    },
    async getReceipt(id) {
      const found = mined.get(id)
      if (found === undefined) return null
      return { status: found.status, blockNumber: found.block, feePaid: BigInt(found.tx.fee) }
    },
    async isKnown(id) {
      return mined.has(id) || pending.some((tx) => ids.get(tx.id) === id)
    },
    async getBlockNumber() {
      return block
    },
    async getBalances(address) {
      return [{ asset: 'native', symbol: 'MEM', decimals: 6, amount: balanceOf(address) }]
    },
  }
  const ids = new Map<number, string>()

  return {
    network,
    family: {
      family: 'memory',
      parseNetwork(input) {
        const candidate = input as Partial<MemoryNetwork>
        if (candidate?.family !== 'memory' || typeof candidate.name !== 'string') {
          return { ok: false, issues: [{ path: 'name', message: 'must be a string' }] }
        }
        return { ok: true, network: candidate as MemoryNetwork }
      },
      createAdapter: () => adapter,
    },
    signers: {
      publicKey(curve, path) {
        if (curve !== 'ed25519') throw new Error('the memory chain signs with ed25519 only')
        return ed25519.getPublicKey(privateKeyOf(path))
      },
      async withSigner(curve, path, fn) {
        if (curve !== 'ed25519') throw new Error('the memory chain signs with ed25519 only')
        const privateKey = privateKeyOf(path)
        return fn({
          curve,
          publicKey: ed25519.getPublicKey(privateKey),
          async sign(payload) {
            signed++
            return { bytes: ed25519.sign(payload, privateKey) }
          },
        })
      },
    },
    fund(address, amount) {
      balances.set(address, balanceOf(address) + amount)
    },
    balanceOf,
    mine() {
      block++
      for (const tx of pending.splice(0)) {
        const cost = BigInt(tx.amount) + BigInt(tx.fee)
        const ok = balanceOf(tx.from) >= cost
        if (ok) {
          balances.set(tx.from, balanceOf(tx.from) - cost)
          balances.set(tx.to, balanceOf(tx.to) + BigInt(tx.amount))
        } else {
          balances.set(tx.from, balanceOf(tx.from) - BigInt(tx.fee))
        }
        mined.set(ids.get(tx.id)!, { tx, block, status: ok ? 'success' : 'reverted' })
      }
      return block
    },
    signatures: () => signed,
  }
}
