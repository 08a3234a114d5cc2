/**
 * Test support for the executor's regression tests: a stack whose workers the test runs by hand, pass by pass, so
 * each test puts the chain exactly where the bug needs it between two passes.
 */
import { listIntentRows, setIntentColumns } from '@bursar/store/test-support'
import type { TestBursar } from '@bursar/testing/bursar'
import type { TestStack, UseTestStackOptions } from '@bursar/testing/stack'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { expect } from 'vitest'
import type { BursarConfig } from '../../src/config.ts'
import { broadcastSigned } from '../../src/workers/broadcastSigned.ts'
import { confirmBroadcast } from '../../src/workers/confirmBroadcast.ts'
import { signQueued } from '../../src/workers/signQueued.ts'

type Timings = Pick<
  BursarConfig['executor'],
  | 'rebroadcastAfterSeconds'
  | 'replaceAfterSeconds'
  | 'inDoubtGraceSeconds'
  | 'nonceSettleSeconds'
  | 'reorgWatchBlocks'
  | 'maxUnrecognisedRefusals'
>

// Short enough that a test reaches every rule in a few passes.
const quick: Timings = {
  rebroadcastAfterSeconds: 0,
  replaceAfterSeconds: 0.2,
  inDoubtGraceSeconds: 0,
  nonceSettleSeconds: 0.2,
  reorgWatchBlocks: 12,
  maxUnrecognisedRefusals: 3,
}

/**
 * Stack options: no executor loop, and the executor's timings (quick ones unless overridden).
 * @example const stack = useTestStack({ ...handDriven({ inDoubtGraceSeconds: 100 }), networks })
 */
export function handDriven(timings: Partial<Timings> = {}): Pick<UseTestStackOptions, 'executor' | 'config'> {
  return { executor: false, config: { executor: { ...quick, ...timings } as never } }
}

type Agent = Awaited<ReturnType<TestBursar['createAgent']>>

/**
 * An agent with an empty policy and 1 ETH, and a fresh recipient. `lowBaseFee`: the next blocks' base fee set to
 * 1 gwei first, which leaves room under the reserved fee for replacements.
 */
export async function fundedAgent(
  stack: TestStack,
  options: { lowBaseFee?: boolean } = {},
): Promise<{ agent: Agent; recipient: `0x${string}` }> {
  const agent = await stack.bursar.createAgent({ policy: {} })
  const tc = stack.anvil.testClient
  await tc.setBalance({ address: agent.address, value: 10n ** 18n })
  if (options.lowBaseFee) {
    await tc.request({ method: 'anvil_setNextBlockBaseFeePerGas', params: ['0x3b9aca00'] } as never)
    await tc.mine({ blocks: 1 })
  }
  return { agent, recipient: privateKeyToAccount(generatePrivateKey()).address }
}

/** Submits a 1000 wei transfer on `network` and returns the intent's id (it must be accepted). */
export async function submitTransfer(
  stack: TestStack,
  agent: Agent,
  network: string,
  recipient: string,
): Promise<string> {
  const response = await stack.bursar.http('POST', '/v1/intents', {
    token: agent.apiKey,
    body: { type: 'transfer', network, to: recipient, amount: '1000' },
  })
  expect(response.status).toBe(201)
  return response.body.id as string
}

/** One signing pass and one broadcast pass. */
export async function signAndSend(stack: TestStack): Promise<void> {
  await signQueued(stack.bursar.ctx)
  await broadcastSigned(stack.bursar.ctx)
}

/** `passes` confirmer passes over the intent, made due before each, `pauseMs` after each. */
export async function confirmPasses(
  stack: TestStack,
  id: string,
  passes: number,
  pauseMs = 0,
): Promise<void> {
  for (let i = 0; i < passes; i++) {
    await setIntentColumns(stack.t.db, { id }, { next_attempt_at: 'now' })
    await confirmBroadcast(stack.bursar.ctx)
    if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs))
  }
}

/** The intent's status and error as the database holds them. */
export async function intentState(stack: TestStack, id: string): Promise<{ status: string; error: unknown }> {
  const [row] = await listIntentRows(stack.t.db, ['id', 'status', 'error'], { ids: [id] })
  return { status: row!.status, error: row!.error }
}

/** What `recipient` holds of the network's native asset, read through Bursar's own adapter. */
export async function nativeBalance(stack: TestStack, network: string, recipient: string): Promise<bigint> {
  const [balance] = await stack.bursar.ctx.networks.get(network)!.adapter.getBalances(recipient)
  return balance?.amount ?? 0n
}
