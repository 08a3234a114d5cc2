/**
 * The Solana adapter against a real SVM (litesvm behind the devnet's JSON-RPC): prepare, simulate, sign, broadcast,
 * confirm, balances, and the errors a caller must be able to tell apart. Signing reproduces the published
 * solana-web3.js transfer vector byte for byte.
 */

import type { JsonValue } from '@bursar/core/chains'
import { genesisHash, type SolanaDevnet, startSolanaDevnet } from '@bursar/devnet/solana'
import { deriveSlip10Key, type Signer, toEd25519Signer } from '@bursar/keys/signers'
import { readVector } from '@bursar/testing/vectors'
import { getBase64Encoder } from '@solana/kit'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createSolanaAdapter, type SolanaNetwork, solanaFamily } from '../src/solana/index.ts'

type TransferVector = {
  senderSeedHex: string
  senderPublicKey: string
  messageBase64: string
  signatureHex: string
  signatureBase58: string
  expectedSignedTxBase64: string
}

const recipient = 'J3dxNj7nDRRqRRXuEMynDG57DkZK4jYRuv3Garmb1i99'

function networkFor(devnet: SolanaDevnet, overrides: Record<string, unknown> = {}): SolanaNetwork {
  const parsed = solanaFamily.parseNetwork({
    family: 'solana',
    name: 'solana-dev',
    rpcUrls: [devnet.url],
    genesisHash,
    ...overrides,
  })
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
  return parsed.network
}

/** Readies `tx` for signing within `maxFee`, signs it with `signer` and attaches the signature. */
async function signWithin(
  adapter: ReturnType<typeof createSolanaAdapter>,
  signer: Signer,
  from: string,
  tx: JsonValue,
  maxFee: bigint,
) {
  const ready = await adapter.readyToSign({ from, tx, maxFee })
  if ('wait' in ready) throw new Error(ready.wait)
  const input = ready.build(0)
  return { input, ...adapter.attachSignature(input, await signer.sign(input.payload)) }
}

describe('Solana adapter (litesvm devnet)', () => {
  let devnet: SolanaDevnet
  beforeAll(async () => {
    devnet = await startSolanaDevnet()
  })
  afterAll(() => devnet?.close())

  const wallet = (index: number) => {
    const adapter = createSolanaAdapter(networkFor(devnet))
    const seed = new Uint8Array(64).fill(7)
    const key = deriveSlip10Key(seed, adapter.derivationPath(index))
    const signer = toEd25519Signer(key.privateKey)
    return { adapter, signer, address: adapter.addressOf(signer.publicKey) }
  }

  test('a SOL transfer: prepared, simulated, signed, sent, confirmed, and the fee it paid is what the chain took', async () => {
    const { adapter, signer, address } = wallet(0)
    await adapter.verifyChain()
    devnet.airdrop(address, 10n ** 9n)
    const { tx, effective } = adapter.prepare('agt_1', {
      type: 'transfer',
      network: 'solana-dev',
      to: recipient,
      amount: '2500000',
    })
    expect(effective.effects).toEqual([
      { kind: 'transfer', asset: 'solana-dev:native', amount: 2_500_000n, to: recipient },
    ])
    const simulated = await adapter.simulate(address, tx)
    expect(simulated.maxFee).toBe(5000n) // one signature, no priority fee configured
    const { input, raw, txId } = await signWithin(adapter, signer, address, simulated.tx, simulated.maxFee)
    expect(input.curve).toBe('ed25519')
    expect(await adapter.getReceipt(txId)).toBeNull()
    await adapter.broadcast(raw)
    await adapter.broadcast(raw) // the same bytes again (a rebroadcast after a crash): accepted, not sent twice
    const receipt = await adapter.getReceipt(txId)
    expect(receipt).toMatchObject({ status: 'success', feePaid: 5000n })
    expect(await adapter.isKnown(txId)).toBe(true)
    expect(await adapter.getBlockNumber()).toBeGreaterThanOrEqual(receipt!.blockNumber)
    const [balance] = await adapter.getBalances(address)
    expect(balance).toEqual({
      asset: 'native',
      symbol: 'SOL',
      decimals: 9,
      amount: 10n ** 9n - 2_500_000n - 5000n,
    })
    expect((await adapter.getBalances(recipient))[0]?.amount).toBe(2_500_000n)
  })

  test('a priority fee is paid within the reserved fee ceiling, and the compute budget is sized by simulation', async () => {
    const adapter = createSolanaAdapter(networkFor(devnet, { priorityFeeMicroLamports: 1_000_000 }))
    const { signer, address } = wallet(1)
    devnet.airdrop(address, 10n ** 9n)
    const { tx } = adapter.prepare('agt_1', {
      type: 'transfer',
      network: 'solana-dev',
      to: recipient,
      amount: '1',
    })
    const simulated = await adapter.simulate(address, tx)
    const limit = (simulated.tx as { computeUnitLimit: number }).computeUnitLimit
    expect(limit).toBeLessThan(200_000)
    expect(simulated.maxFee).toBe(5000n + BigInt(limit)) // 1 lamport per compute unit
    // Half the priority fee reserved: the price is lowered to fit, never the ceiling raised.
    const reserved = 5000n + BigInt(limit) / 2n
    const { raw, txId } = await signWithin(adapter, signer, address, simulated.tx, reserved)
    await adapter.broadcast(raw)
    const receipt = await adapter.getReceipt(txId)
    expect(receipt?.feePaid).toBeLessThanOrEqual(reserved)
    expect(receipt?.feePaid).toBeGreaterThan(5000n)
  })

  test('error: bad addresses, unknown assets, calls, oversized amounts and missing funds are refused before signing', async () => {
    const { adapter, address } = wallet(2)
    const base = { type: 'transfer' as const, network: 'solana-dev', amount: '1' }
    for (const to of [
      '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
      'J3dxNj7nDRRqRRXuEMynDG57DkZK4jYRuv3Garmb1i9O',
      'abc',
    ]) {
      expect(() => adapter.prepare('agt_1', { ...base, to })).toThrow(
        expect.objectContaining({ code: 'INVALID_ADDRESS' }),
      )
    }
    expect(() => adapter.prepare('agt_1', { ...base, to: recipient, asset: 'USDC' })).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_ASSET' }),
    )
    expect(() =>
      adapter.prepare('agt_1', { ...base, to: recipient, amount: (2n ** 64n).toString() }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_AMOUNT' }))
    expect(() =>
      adapter.prepare('agt_1', { type: 'call', network: 'solana-dev', to: recipient, data: '0x00' }),
    ).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }))
    const { tx } = adapter.prepare('agt_1', { ...base, to: recipient })
    await expect(adapter.simulate(address, tx)).rejects.toMatchObject({ code: 'INSUFFICIENT_FUNDS' })
    // A first payment that would leave a new account below its rent-exempt minimum fails in simulation.
    devnet.airdrop(address, 10n ** 9n)
    const fresh = adapter.prepare('agt_1', {
      ...base,
      to: '5eykt4UsFv8P8NJdTREpY1vzqKqZKvdpKuc147dw2N9d',
      amount: '5',
    })
    await expect(adapter.simulate(address, fresh.tx)).rejects.toMatchObject({
      code: 'SIMULATION_REVERTED',
      message: expect.stringContaining('rent-exempt'),
    })
  })

  test('error: an RPC on another cluster is refused (CHAIN_ID_MISMATCH); one that does not answer is RPC_UNAVAILABLE', async () => {
    const other = createSolanaAdapter(
      networkFor(devnet, { genesisHash: '5eykt4UsFv8P8NJdTREpY1vzqKqZKvdpKuc147dw2N9d' }),
    )
    await expect(other.verifyChain()).rejects.toMatchObject({ code: 'CHAIN_ID_MISMATCH' })
    const down = createSolanaAdapter(networkFor(devnet, { rpcUrls: ['http://127.0.0.1:9'] }))
    await expect(down.getBlockNumber()).rejects.toMatchObject({ code: 'RPC_UNAVAILABLE' })
  })

  test('error: a transaction whose blockhash expired is refused with reason "expired", and never lands', async () => {
    const { adapter, signer, address } = wallet(3)
    devnet.airdrop(address, 10n ** 9n)
    const { tx } = adapter.prepare('agt_1', {
      type: 'transfer',
      network: 'solana-dev',
      to: recipient,
      amount: '7',
    })
    const simulated = await adapter.simulate(address, tx)
    const { raw, txId } = await signWithin(adapter, signer, address, simulated.tx, simulated.maxFee)
    devnet.expireBlockhash()
    await expect(adapter.broadcast(raw)).rejects.toMatchObject({
      details: { reason: 'expired', retryable: false },
    })
    expect(await adapter.getReceipt(txId)).toBeNull()
  })
})

describe('Solana signing vector (solana-web3.js "parse wire format and serialize")', () => {
  test('the signature and the signed wire transaction reproduce byte for byte', async () => {
    const vector = readVector<TransferVector>('solana-transfer.json')
    const signer = toEd25519Signer(Uint8Array.from(Buffer.from(vector.senderSeedHex, 'hex')))
    const adapter = createSolanaAdapter({
      family: 'solana',
      name: 'vector',
      rpcUrls: ['http://127.0.0.1:9'],
      genesisHash,
      nativeSymbol: 'SOL',
      nativeDecimals: 9,
      confirmations: 1,
      priorityFeeMicroLamports: 0,
    } as SolanaNetwork)
    expect(adapter.addressOf(signer.publicKey)).toBe(vector.senderPublicKey)
    const messageBytes = new Uint8Array(getBase64Encoder().encode(vector.messageBase64))
    const signature = await signer.sign(messageBytes)
    expect(Buffer.from(signature.bytes).toString('hex')).toBe(vector.signatureHex)
    const { raw, txId } = adapter.attachSignature(
      {
        curve: 'ed25519',
        payload: messageBytes,
        unsigned: {
          transaction: { messageBytes, signatures: { [vector.senderPublicKey]: null } },
          from: vector.senderPublicKey,
        },
      },
      signature,
    )
    expect(raw).toBe(vector.expectedSignedTxBase64)
    expect(txId).toBe(vector.signatureBase58)
  })
})
