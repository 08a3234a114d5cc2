/**
 * Durable execution on real anvil and PostgreSQL: the ways an intent used to get stuck or settle wrongly, each
 * reproduced and settled right — a refusal that is not the last word (in doubt until the chain settles it), a
 * refusal worded in a way Bursar does not know, a transaction one node refuses and another mines, an answer lost
 * between two RPCs, a transaction stuck in the mempool (replaced), a cancellation after broadcast, and a reorg.
 * The workers are driven by hand (executor off), so every step is the test's, not a timer's.
 */
import { listIntentTransactions } from '@bursar/store'
import {
  insertAuditRow,
  insertIntentRow,
  listAuditRows,
  listBucketDrift,
  listIntentRows,
  listReservationRows,
  setIntentColumns,
} from '@bursar/store/test-support'
import { type RpcInterposer, startRpcInterposer } from '@bursar/testing/rpc-interposer'
import { useTestStack } from '@bursar/testing/stack'
import { parseTransaction } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeEach, describe, expect, test } from 'vitest'
import { broadcastSigned } from '../src/workers/broadcastSigned.ts'
import { confirmBroadcast } from '../src/workers/confirmBroadcast.ts'
import { signQueued } from '../src/workers/signQueued.ts'
import { watchReorgs } from '../src/workers/watchReorgs.ts'

const ether = 10n ** 18n
const finalStatuses = new Set(['confirmed', 'failed', 'cancelled'])

// Short timings: everything a pass may do, it does at once (grace 0: in doubt means cancel now).
const executor = {
  rebroadcastAfterSeconds: 0,
  replaceAfterSeconds: 0.2,
  inDoubtGraceSeconds: 0,
  nonceSettleSeconds: 0.2,
  maxUnrecognisedRefusals: 3,
  reorgWatchBlocks: 12,
}

describe('durable execution (PostgreSQL, anvil)', () => {
  let interposer: RpcInterposer | undefined
  let second: RpcInterposer | undefined
  const stack = useTestStack({
    executor: false,
    config: { executor: executor as never },
    networks: async (anvil) => {
      // Two RPCs in front of the one anvil, each passing everything until a test says otherwise.
      interposer = await startRpcInterposer(anvil.rpcUrl)
      second = await startRpcInterposer(anvil.rpcUrl)
      return [
        { ...anvil.network, name: 'anvil' },
        { ...anvil.network, name: 'interposed', rpcUrls: [interposer.url] },
        { ...anvil.network, name: 'two-rpcs', rpcUrls: [interposer.url, second.url] },
      ]
    },
  })
  afterAll(async () => {
    await interposer?.close()
    await second?.close()
  })
  beforeEach(async () => {
    interposer?.onSend(() => ({ kind: 'pass' }))
    second?.onSend(() => ({ kind: 'pass' }))
    await stack.anvil.testClient.setAutomine(true)
  })

  const submit = async (apiKey: string, body: Record<string, unknown>) => {
    const response = await stack.bursar.http('POST', '/v1/intents', { token: apiKey, body })
    expect(response.status).toBe(201)
    return response.body.id as string
  }

  /** One round of every worker, with everything due at once; until `done` holds or 60 rounds passed. */
  const drive = async (done: () => Promise<boolean>, extra?: () => Promise<void>) => {
    for (let round = 0; round < 60; round++) {
      await signQueued(stack.bursar.ctx)
      await broadcastSigned(stack.bursar.ctx)
      await confirmBroadcast(stack.bursar.ctx)
      await watchReorgs(stack.bursar.ctx)
      await extra?.()
      if (await done()) return
      for (const status of ['signed', 'broadcast', 'in_doubt'] as const) {
        await setIntentColumns(stack.t.db, { status }, { next_attempt_at: 'now' })
      }
      await new Promise((resolve) => setTimeout(resolve, 60))
    }
  }
  const rowsOf = (ids: string[]) =>
    listIntentRows(stack.t.db, ['id', 'status', 'nonce', 'error', 'tx_hash', 'max_fee', 'fee_paid'], { ids })
  const allFinal = (ids: string[]) => async () =>
    (await rowsOf(ids)).every((row) => finalStatuses.has(row.status))
  const statusesOf = async (ids: string[]) => {
    const byId = new Map((await rowsOf(ids)).map((row) => [row.id, row]))
    return ids.map((id) => byId.get(id)!.status)
  }
  const minedNonce = (address: string) =>
    stack.anvil.testClient.request({
      method: 'eth_getTransactionCount',
      params: [address, 'latest'],
    } as never)

  test('a refused transaction keeps its reservation and nonce in doubt; its cancellation frees the wallet, later ones land', async () => {
    const agent = await stack.bursar.createAgent({ policy: {} })
    const recipient = privateKeyToAccount(generatePrivateKey()).address
    // Enough for either large transfer alone, not both: the node refuses the second once the first is mined.
    await stack.anvil.testClient.setBalance({ address: agent.address, value: ether })
    const ids = [
      await submit(agent.apiKey, {
        type: 'transfer',
        network: 'anvil',
        to: recipient,
        amount: ((6n * ether) / 10n).toString(),
      }),
      await submit(agent.apiKey, {
        type: 'transfer',
        network: 'anvil',
        to: recipient,
        amount: ((6n * ether) / 10n).toString(),
      }),
      await submit(agent.apiKey, { type: 'transfer', network: 'anvil', to: recipient, amount: '1000' }),
    ].map(String)
    expect(await signQueued(stack.bursar.ctx)).toBe(3)
    await broadcastSigned(stack.bursar.ctx)
    expect((await statusesOf(ids))[1]).toBe('in_doubt')
    // In doubt, nothing is given back yet: the transaction may still be mined somewhere.
    expect(
      (await listReservationRows(stack.t.db, ['status'], { intentId: ids[1]! })).map((r) => r.status).sort(),
    ).toEqual(['reserved', 'reserved'])

    await drive(allFinal(ids))
    expect(await statusesOf(ids)).toEqual(['confirmed', 'failed', 'confirmed'])
    const rows = new Map((await rowsOf(ids)).map((row) => [row.id, row]))
    expect(rows.get(ids[1]!)?.error).toMatchObject({ code: 'BROADCAST_REJECTED' })
    // Its nonce went to its cancellation (a zero-value self-transfer), recorded as a version of the intent.
    const versions = await listIntentTransactions(stack.t.db, [ids[1]!])
    expect(versions.map((v) => [v.kind, v.status])).toEqual([
      ['original', 'replaced'],
      ['cancel', 'mined'],
    ])
    const cancellation = parseTransaction(versions[1]!.raw_tx as `0x${string}`)
    expect(cancellation).toMatchObject({ to: agent.address.toLowerCase(), nonce: rows.get(ids[1]!)!.nonce })
    expect(cancellation.value ?? 0n).toBe(0n)
    // Value given back, the cancellation's fee spent (trued up to what it cost, within what was reserved).
    const reservations = await listReservationRows(stack.t.db, ['kind', 'status', 'amount'], {
      intentId: ids[1]!,
    })
    const fee = reservations.find((r) => r.kind === 'fee')!
    expect(reservations.find((r) => r.kind === 'spend')?.status).toBe('released')
    expect(fee.status).toBe('committed')
    expect(BigInt(fee.amount)).toBeLessThanOrEqual(BigInt(rows.get(ids[1]!)!.max_fee!))
    // No nonce gap, no nonce used twice, nothing paid twice.
    expect(await minedNonce(agent.address)).toBe('0x3')
    const [received] = await stack.bursar.ctx.networks.get('anvil')!.adapter.getBalances(recipient)
    expect(received?.amount).toBe((6n * ether) / 10n + 1000n)
  })

  test('a refusal worded in a way Bursar does not know is retried a bounded number of times, then in doubt', async () => {
    const agent = await stack.bursar.createAgent({ policy: {} })
    await stack.anvil.testClient.setBalance({ address: agent.address, value: ether })
    const recipient = privateKeyToAccount(generatePrivateKey()).address
    interposer!.onSend(() => ({ kind: 'refuse', message: 'computer says no' }))
    const id = await submit(agent.apiKey, {
      type: 'transfer',
      network: 'interposed',
      to: recipient,
      amount: '5',
    })
    expect(await signQueued(stack.bursar.ctx)).toBe(1)
    const before = interposer!.sends()
    for (let i = 0; i < 6; i++) {
      await broadcastSigned(stack.bursar.ctx)
      await setIntentColumns(stack.t.db, { id }, { next_attempt_at: 'now' })
    }
    // Three refusals (the configured bound), then no more tries at the broadcast stage: in doubt.
    expect(interposer!.sends() - before).toBe(3)
    expect(await statusesOf([id])).toEqual(['in_doubt'])
    interposer!.onSend(() => ({ kind: 'pass' }))
    await drive(allFinal([id]))
    expect(await statusesOf([id])).toEqual(['failed'])
    // Settled by its cancellation at the same nonce; the next intent takes the next nonce and lands.
    const next = await submit(agent.apiKey, {
      type: 'transfer',
      network: 'interposed',
      to: recipient,
      amount: '6',
    })
    await drive(allFinal([next]))
    expect(await statusesOf([next])).toEqual(['confirmed'])
    expect(await minedNonce(agent.address)).toBe('0x2')
  })

  test('refused by the node Bursar asked, mined through another: confirmed, not failed, and its nonce not reused', async () => {
    const agent = await stack.bursar.createAgent({ policy: {} })
    await stack.anvil.testClient.setBalance({ address: agent.address, value: ether })
    const recipient = privateKeyToAccount(generatePrivateKey()).address
    // The node answers "insufficient funds" (for good, as far as Bursar knows) but the transaction reaches the chain.
    interposer!.onSend(() => ({
      kind: 'refuse',
      message: 'insufficient funds for gas * price + value',
      forward: true,
    }))
    const id = await submit(agent.apiKey, {
      type: 'transfer',
      network: 'interposed',
      to: recipient,
      amount: '77',
    })
    await signQueued(stack.bursar.ctx)
    await broadcastSigned(stack.bursar.ctx)
    expect(await statusesOf([id])).toEqual(['in_doubt'])
    interposer!.onSend(() => ({ kind: 'pass' }))
    await drive(allFinal([id]))
    expect(await statusesOf([id])).toEqual(['confirmed'])
    const next = await submit(agent.apiKey, {
      type: 'transfer',
      network: 'interposed',
      to: recipient,
      amount: '78',
    })
    await drive(allFinal([next]))
    const rows = await listIntentRows(
      stack.t.db,
      ['id', 'status', 'nonce'],
      { ids: [id, next] },
      { orderBy: 'nonce' },
    )
    expect(rows.map((row) => [row.status, row.nonce])).toEqual([
      ['confirmed', 0],
      ['confirmed', 1],
    ])
    const [received] = await stack.bursar.ctx.networks.get('anvil')!.adapter.getBalances(recipient)
    expect(received?.amount).toBe(155n)
  })

  test('accepted by the first RPC (answer lost), refused by the second: settled as mined, the window still counts it', async () => {
    const agent = await stack.bursar.createAgent({
      policy: { limits: { windows: [{ asset: 'two-rpcs:native', max: ether.toString(), window: '24h' }] } },
    })
    await stack.anvil.testClient.setBalance({ address: agent.address, value: 2n * ether })
    const recipient = privateKeyToAccount(generatePrivateKey()).address
    interposer!.onSend(() => ({ kind: 'lose_answer' }))
    second!.onSend(() => ({ kind: 'refuse', message: 'insufficient funds for gas * price + value' }))
    const amount = (6n * ether) / 10n
    const id = await submit(agent.apiKey, {
      type: 'transfer',
      network: 'two-rpcs',
      to: recipient,
      amount: amount.toString(),
    })
    await signQueued(stack.bursar.ctx)
    await broadcastSigned(stack.bursar.ctx)
    expect(await statusesOf([id])).toEqual(['in_doubt'])
    interposer!.onSend(() => ({ kind: 'pass' }))
    second!.onSend(() => ({ kind: 'pass' }))
    await drive(allFinal([id]))
    expect(await statusesOf([id])).toEqual(['confirmed'])
    // The 0.6 ETH it moved stays counted: another 0.6 ETH would exceed the 1 ETH window.
    const again = await stack.bursar.http('POST', '/v1/intents', {
      token: agent.apiKey,
      body: { type: 'transfer', network: 'two-rpcs', to: recipient, amount: amount.toString() },
    })
    expect(again.status).toBe(403)
    expect(again.body.error.details.reasons[0]).toMatchObject({ code: 'LIMIT_WINDOW_EXCEEDED' })
  })

  test('stuck in the mempool: replaced at its nonce with higher fees within the reserved fee; the replacement settles it once', async () => {
    const agent = await stack.bursar.createAgent({ policy: {} })
    await stack.anvil.testClient.setBalance({ address: agent.address, value: ether })
    const recipient = privateKeyToAccount(generatePrivateKey()).address
    // A base fee leaves the reserved fee room above the first version's price for replacements.
    await stack.anvil.testClient.request({
      method: 'anvil_setNextBlockBaseFeePerGas',
      params: ['0x3b9aca00'],
    } as never)
    await stack.anvil.testClient.mine({ blocks: 1 })
    await stack.anvil.testClient.setAutomine(false)
    const id = await submit(agent.apiKey, { type: 'transfer', network: 'anvil', to: recipient, amount: '31' })
    await signQueued(stack.bursar.ctx)
    await broadcastSigned(stack.bursar.ctx)
    expect(await statusesOf([id])).toEqual(['broadcast'])
    // Nothing is mined while replacements pile up within the fee ceiling (two fit); then a block.
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250))
      await setIntentColumns(stack.t.db, { id }, { next_attempt_at: 'now' })
      await confirmBroadcast(stack.bursar.ctx)
    }
    const versions = await listIntentTransactions(stack.t.db, [id])
    // Replaced (at today's price, which here is already the reserved ceiling), then no further: the cap holds.
    expect(versions[0]?.kind).toBe('original')
    expect(versions.length).toBeGreaterThanOrEqual(2)
    expect(new Set(versions.slice(1).map((v) => v.kind))).toEqual(new Set(['replacement']))
    expect(stack.bursar.logs.text()).toContain('no replacement within the reserved fee')
    const [row] = await rowsOf([id])
    for (const version of versions) {
      const tx = parseTransaction(version.raw_tx as `0x${string}`)
      // Every version moves the same value to the same party at the same nonce, and none may cost more than reserved.
      expect(tx).toMatchObject({ to: recipient.toLowerCase(), value: 31n, nonce: row!.nonce })
      expect(tx.gas! * tx.maxFeePerGas!).toBeLessThanOrEqual(BigInt(row!.max_fee!))
    }
    await stack.anvil.testClient.mine({ blocks: 1 })
    await drive(allFinal([id]))
    const [settled] = await rowsOf([id])
    expect(settled).toMatchObject({ status: 'confirmed', tx_hash: versions.at(-1)!.tx_hash })
    expect((await listIntentTransactions(stack.t.db, [id])).map((v) => v.status)).toEqual([
      ...versions.slice(1).map(() => 'replaced'),
      'mined',
    ])
    const [received] = await stack.bursar.ctx.networks.get('anvil')!.adapter.getBalances(recipient)
    expect(received?.amount).toBe(31n)
    const confirmations = await listAuditRows(stack.t.db, { actions: ['intent.confirmed'], subjectIds: [id] })
    expect(confirmations).toHaveLength(1)
  })

  test('cancelled after broadcast: a zero-value self-transfer at its nonce takes its place; nothing moves', async () => {
    const agent = await stack.bursar.createAgent({ policy: {} })
    await stack.anvil.testClient.setBalance({ address: agent.address, value: ether })
    const recipient = privateKeyToAccount(generatePrivateKey()).address
    await stack.anvil.testClient.request({
      method: 'anvil_setNextBlockBaseFeePerGas',
      params: ['0x3b9aca00'],
    } as never)
    await stack.anvil.testClient.mine({ blocks: 1 })
    await stack.anvil.testClient.setAutomine(false)
    const id = await submit(agent.apiKey, { type: 'transfer', network: 'anvil', to: recipient, amount: '41' })
    await signQueued(stack.bursar.ctx)
    await broadcastSigned(stack.bursar.ctx)
    const cancel = await stack.bursar.http('POST', `/v1/intents/${id}/cancel`, { token: agent.apiKey })
    expect(cancel.status).toBe(200)
    expect(cancel.body).toMatchObject({ status: 'broadcast', cancel_requested_at: expect.any(String) })
    await confirmBroadcast(stack.bursar.ctx)
    await stack.anvil.testClient.mine({ blocks: 1 })
    await drive(allFinal([id]))
    expect(await statusesOf([id])).toEqual(['cancelled'])
    const [received] = await stack.bursar.ctx.networks.get('anvil')!.adapter.getBalances(recipient)
    expect(received?.amount ?? 0n).toBe(0n)
    const spend = await listReservationRows(stack.t.db, ['status'], { intentId: id, kind: 'spend' })
    expect(spend.map((r) => r.status)).toEqual(['released'])
  })

  test('reorged out after confirmation: back to broadcast, audited, the same bytes sent again, confirmed once; the next intent is not stuck', async () => {
    const agent = await stack.bursar.createAgent({ policy: {} })
    await stack.anvil.testClient.setBalance({ address: agent.address, value: ether })
    const recipient = privateKeyToAccount(generatePrivateKey()).address
    await stack.anvil.testClient.request({
      method: 'anvil_setNextBlockBaseFeePerGas',
      params: ['0x3b9aca00'],
    } as never)
    await stack.anvil.testClient.mine({ blocks: 1 })
    const snapshot = await stack.anvil.testClient.snapshot()
    const id = await submit(agent.apiKey, { type: 'transfer', network: 'anvil', to: recipient, amount: '51' })
    // Priced at a 1 gwei base fee, mined first at none, so a later mining can cost more.
    await stack.anvil.testClient.request({
      method: 'anvil_setNextBlockBaseFeePerGas',
      params: ['0x0'],
    } as never)
    await drive(allFinal([id]))
    const [confirmed] = await rowsOf([id])
    expect(confirmed?.status).toBe('confirmed')
    const feeRowBefore = listReservationRows(stack.t.db, ['amount'], { intentId: id, kind: 'fee' }).then(
      (r) => r[0],
    )
    // The chain loses the block (and the balance set after the snapshot): set it again, grow past the old head.
    await stack.anvil.testClient.revert({ id: snapshot })
    await stack.anvil.testClient.setBalance({ address: agent.address, value: ether })
    await stack.anvil.testClient.mine({ blocks: 3 })
    // One look that misses it is not enough (a node may be behind); a second, later one agrees: reopened.
    expect(await watchReorgs(stack.bursar.ctx)).toBe(0)
    expect(await statusesOf([id])).toEqual(['confirmed'])
    await new Promise((resolve) => setTimeout(resolve, executor.nonceSettleSeconds * 1000))
    expect(await watchReorgs(stack.bursar.ctx)).toBe(1)
    expect(await statusesOf([id])).toEqual(['broadcast'])
    // Until it is mined again its fee may cost up to the ceiling: it counts at the ceiling, in the buckets too.
    const [reopened] = await listIntentRows(stack.t.db, ['id', 'max_fee'], { ids: [id] })
    const feeRow = async () =>
      (await listReservationRows(stack.t.db, ['amount', 'status'], { intentId: id, kind: 'fee' }))[0]
    expect(await feeRow()).toEqual({ amount: reopened!.max_fee, status: 'committed' })
    expect(await listBucketDrift(stack.t.db)).toEqual([])
    // Mined again at a higher base fee than the first time (as high as its max fee allows): what counts is what
    // this mining charged, above what the first one did.
    const [signed] = await listIntentRows(stack.t.db, ['id', 'raw_tx'], { ids: [id] })
    const { maxFeePerGas, maxPriorityFeePerGas } = parseTransaction(signed!.raw_tx as `0x${string}`)
    const baseFee = maxFeePerGas! - maxPriorityFeePerGas!
    await stack.anvil.testClient.request({
      method: 'anvil_setNextBlockBaseFeePerGas',
      params: [`0x${baseFee.toString(16)}`],
    } as never)
    const firstPaid = (await feeRowBefore)!.amount
    await drive(allFinal([id]))
    const [again] = await rowsOf([id])
    expect(again).toMatchObject({ status: 'confirmed', tx_hash: confirmed!.tx_hash })
    const receipt = await stack.anvil.testClient.request({
      method: 'eth_getTransactionReceipt',
      params: [confirmed!.tx_hash],
    } as never)
    const { gasUsed, effectiveGasPrice } = receipt as { gasUsed: string; effectiveGasPrice: string }
    expect(await feeRow()).toEqual({
      amount: (BigInt(gasUsed) * BigInt(effectiveGasPrice)).toString(),
      status: 'committed',
    })
    expect(BigInt(gasUsed) * BigInt(effectiveGasPrice)).toBeGreaterThan(BigInt(firstPaid))
    expect(await listBucketDrift(stack.t.db)).toEqual([])
    const reorged = await listAuditRows(stack.t.db, { actions: ['intent.reorged'], subjectIds: [id] })
    expect(reorged).toHaveLength(1)
    const next = await submit(agent.apiKey, {
      type: 'transfer',
      network: 'anvil',
      to: recipient,
      amount: '52',
    })
    await drive(allFinal([next]))
    expect(await statusesOf([next])).toEqual(['confirmed'])
    const [received] = await stack.bursar.ctx.networks.get('anvil')!.adapter.getBalances(recipient)
    expect(received?.amount).toBe(103n)
  })
})

describe('forged rows on the follow-up path (PostgreSQL, anvil)', () => {
  const stack = useTestStack({ executor: false, config: { executor: executor as never } })

  test('a row forged onto another wallet at its pending nonce gets no cancellation signed: its signing MAC does not verify', async () => {
    const attacker = await stack.bursar.createAgent({ policy: {} })
    const victim = await stack.bursar.createAgent({ policy: {} })
    await stack.anvil.testClient.setBalance({ address: victim.address, value: ether })
    await stack.anvil.testClient.setAutomine(false)
    const recipient = privateKeyToAccount(generatePrivateKey()).address
    const response = await stack.bursar.http('POST', '/v1/intents', {
      token: victim.apiKey,
      body: { type: 'transfer', network: 'anvil', to: recipient, amount: '1000' },
    })
    const id = response.body.id as string
    await signQueued(stack.bursar.ctx)
    await broadcastSigned(stack.bursar.ctx)
    const [legit] = await listIntentRows(stack.t.db, ['nonce', 'raw_tx', 'wallet_id'], { ids: [id] })
    // The forger: an intent of another agent on the victim's wallet, at the victim's pending nonce, "signed" there
    // (audit entry forged too), with a cancellation asked for.
    await insertAuditRow(stack.t.db, {
      actor_type: 'system',
      actor_id: null,
      action: 'intent.signed',
      subject_type: 'intent',
      subject_id: 'int_forged',
      data: { nonce: legit!.nonce },
    })
    await insertIntentRow(stack.t.db, {
      id: 'int_forged',
      agent_id: attacker.agentId,
      wallet_id: legit!.wallet_id,
      network: 'anvil',
      status: 'broadcast',
      request: {},
      request_hash: 'x',
      asset: 'anvil:native',
      amount: '0',
      recipient: victim.address,
      recipients: [],
      policy_version: 1,
      tx: { to: victim.address, value: '0', gas: '21000' },
      max_fee: (10n ** 17n).toString(),
      decision_mac: null,
      decision_expires_at: null,
    })
    await setIntentColumns(
      stack.t.db,
      { id: 'int_forged' },
      {
        nonce: legit!.nonce,
        raw_tx: legit!.raw_tx,
        tx_hash: `0x${'ab'.repeat(32)}`,
        cancel_requested_at: new Date(),
        last_sent_at: new Date(Date.now() - 3_600_000),
      },
    )
    await confirmBroadcast(stack.bursar.ctx)
    expect(await listIntentTransactions(stack.t.db, ['int_forged'])).toEqual([])
    expect(stack.bursar.logs.text()).toContain('its signing MAC does not match')
    await stack.anvil.testClient.mine({ blocks: 1 })
    await stack.anvil.testClient.setAutomine(true)
    for (let i = 0; i < 5; i++) {
      await setIntentColumns(stack.t.db, { id }, { next_attempt_at: 'now' })
      await confirmBroadcast(stack.bursar.ctx)
    }
    // The victim's payment went through as signed.
    const [paid] = await listIntentRows(stack.t.db, ['status'], { ids: [id] })
    expect(paid?.status).toBe('confirmed')
    const [received] = await stack.bursar.ctx.networks.get('anvil')!.adapter.getBalances(recipient)
    expect(received?.amount).toBe(1000n)
  })
})
