/** The EVM adapter's reading of calldata and the policy engine together: what reaches the engine is what gets signed. */
import type { EvmNetwork } from '@bursar/core/networks'
import { emptyUsage, evaluatePolicy, validatePolicy } from '@bursar/core/policy'
import { encodeFunctionData, erc20Abi, type Hex, maxUint256, parseAbi, toFunctionSelector } from 'viem'
import { describe, expect, test } from 'vitest'
import { prepareEvmIntent } from './prepareEvmIntent.ts'
import { tokenFunctions } from './tokenFunctions.ts'

const token = '0x5FbDB2315678afecb367f032d93F642f64180aa3'
const tokenAsset = `anvil:${token.toLowerCase()}`
const alice = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
const bob = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC'
const network: EvmNetwork = {
  name: 'anvil',
  family: 'evm',
  chainId: 31337,
  rpcUrls: ['http://127.0.0.1:8545'],
  nativeSymbol: 'ETH',
  nativeDecimals: 18,
  confirmations: 1,
  tokens: [{ symbol: 'TST', address: token, decimals: 18 }],
}

function decide(document: unknown, request: Parameters<typeof prepareEvmIntent>[2]) {
  const result = validatePolicy(document)
  if (!result.ok) throw new Error(JSON.stringify(result.issues))
  const { effective } = prepareEvmIntent(network, 'agent-1', request)
  return evaluatePolicy(result.policy, effective, emptyUsage(), {
    now: new Date('2024-01-01T12:00:00Z'),
    agentStatus: 'active',
    breaker: { tripped: false },
  })
}
const call = (to: string, data: Hex, value?: bigint) =>
  ({
    type: 'call',
    network: 'anvil',
    to,
    data,
    ...(value === undefined ? {} : { value: value.toString() }),
  }) as const
const codes = (decision: { reasons: Array<{ code: string }> }) =>
  decision.reasons.map((reason) => reason.code)
const tokenLimit = { limits: { perTransaction: [{ asset: tokenAsset, max: '500' }] } }

describe('calldata read by the EVM adapter, judged by the engine', () => {
  test("calldata '0x' counts as none: contract rules do not apply", () => {
    expect(codes(decide({ contracts: { allow: [token] } }, call(alice, '0x', 1n)))).toEqual([])
  })

  test('transferFrom counts against the token limit', () => {
    const data = encodeFunctionData({ abi: erc20Abi, functionName: 'transferFrom', args: [bob, alice, 501n] })
    expect(codes(decide(tokenLimit, call(token, data)))).toEqual(['LIMIT_PER_TX_EXCEEDED'])
  })

  test('increaseAllowance is an approval: limited, and unlimited ones forbidden', () => {
    const abi = parseAbi(['function increaseAllowance(address spender, uint256 addedValue)'])
    const data = (amount: bigint) =>
      encodeFunctionData({ abi, functionName: 'increaseAllowance', args: [alice, amount] })
    expect(codes(decide(tokenLimit, call(token, data(500n))))).toEqual([])
    expect(codes(decide(tokenLimit, call(token, data(501n))))).toEqual(['LIMIT_PER_TX_EXCEEDED'])
    expect(
      codes(decide({ contracts: { forbidUnlimitedApprovals: true } }, call(token, data(maxUint256)))),
    ).toEqual(['UNLIMITED_APPROVAL_FORBIDDEN'])
  })

  test('error: transferAndCall of 10^24 on a configured token is limited like a transfer (the ERC-677 bypass)', () => {
    const abi = parseAbi(['function transferAndCall(address to, uint256 amount, bytes data)'])
    const data = encodeFunctionData({ abi, functionName: 'transferAndCall', args: [bob, 10n ** 24n, '0x'] })
    expect(codes(decide({ ...tokenLimit, contracts: { allow: [token] } }, call(token, data)))).toEqual([
      'LIMIT_PER_TX_EXCEEDED',
    ])
  })

  test('error: value sent to an EOA behind transfer(alice, 0) calldata is the value the recipient rules see', () => {
    const attacker = '0x90F79bf6EB2c4f870365E785982E1f101E93b906'
    const data = encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [alice, 0n] })
    const decision = decide({ recipients: { allow: [alice] } }, call(attacker, data, 5n))
    expect(codes(decision)).toEqual(['RECIPIENT_NOT_ALLOWLISTED'])
    expect(decision.effective).toMatchObject({
      asset: 'anvil:native',
      amount: '5',
      recipient: attacker.toLowerCase(),
    })
  })

  test('error: a token function with arguments that do not decode is denied', () => {
    expect(codes(decide({}, call(token, '0xa9059cbb0000')))).toEqual(['CALLDATA_MALFORMED'])
  })

  test('a transfer Bursar encodes itself is read back from its bytes', () => {
    const decision = decide(tokenLimit, {
      type: 'transfer',
      network: 'anvil',
      to: alice,
      amount: '501',
      asset: 'TST',
    })
    expect(codes(decision)).toEqual(['LIMIT_PER_TX_EXCEEDED'])
  })
})

/** Small seeded PRNG (mulberry32) so failures reproduce. */
function random(seed: number) {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

describe('property: random calldata to a listed token', () => {
  const allowedUnvalued = '0x12345678'
  const policy = {
    limits: { perTransaction: [{ asset: tokenAsset, max: (10n ** 30n).toString() }] },
    contracts: { allowUnvalued: [allowedUnvalued] },
  }
  const compiled = validatePolicy(policy)
  if (!compiled.ok) throw new Error('policy')
  const known = [...tokenFunctions.keys()]

  test('is never allowed with the moved amount unreserved, nor unread unless the function is allowed', () => {
    const next = random(20_241_202)
    const hex = (bytes: number) =>
      Array.from({ length: bytes }, () =>
        Math.floor(next() * 256)
          .toString(16)
          .padStart(2, '0'),
      ).join('')
    // Words that decode as addresses, small amounts, huge amounts or junk.
    const word = () => {
      const r = next()
      if (r < 0.3) return `${'00'.repeat(12)}${hex(20)}`
      if (r < 0.6)
        return Math.floor(next() * 10_000)
          .toString(16)
          .padStart(64, '0')
      if (r < 0.7) return 'f'.repeat(64)
      return hex(32)
    }
    const calldata = (depth: number): string => {
      const r = next()
      const selector =
        r < 0.6
          ? known[Math.floor(next() * known.length)]!.slice(2)
          : r < 0.7
            ? allowedUnvalued.slice(2)
            : hex(4)
      if (depth < 2 && next() < 0.05) {
        const inner = Array.from(
          { length: 1 + Math.floor(next() * 3) },
          () => `0x${calldata(depth + 1)}` as Hex,
        )
        return encodeFunctionData({
          abi: parseAbi(['function multicall(bytes[] data)']),
          args: [inner],
        }).slice(2)
      }
      const words = Array.from({ length: Math.floor(next() * 8) }, word).join('')
      return `${selector}${words}${next() < 0.1 ? hex(Math.floor(next() * 31)) : ''}`
    }
    let allowed = 0
    let withoutReservation = 0
    for (let i = 0; i < 5000; i++) {
      const data = `0x${next() < 0.02 ? hex(Math.floor(next() * 4)) : calldata(0)}` as Hex
      const { effective } = prepareEvmIntent(network, 'agent-1', call(token, data))
      const decision = evaluatePolicy(compiled.policy, effective, emptyUsage(), {
        now: new Date(0),
        agentStatus: 'active',
        breaker: { tripped: false },
      })
      if (decision.outcome !== 'allow') continue
      allowed++
      // What the bytes move is what is reserved, to the base unit.
      const moved = effective.effects
        .filter((effect) => effect.asset === tokenAsset)
        .reduce((sum, effect) => sum + effect.amount, 0n)
      const reserved = decision.reservations
        .filter((reservation) => reservation.asset === tokenAsset)
        .reduce((sum, reservation) => sum + BigInt(reservation.amount), 0n)
      expect(reserved).toBe(moved)
      // Whatever the engine could not read was allowed by name.
      for (const part of effective.unvalued) expect(part.selector).toBe(allowedUnvalued)
      if (reserved === 0n) {
        withoutReservation++
        // Nothing reserved: only functions that give nothing away (revokes, zero amounts) or the allowed one.
        for (const selector of effective.selectors) {
          expect(selector === allowedUnvalued || tokenFunctions.has(selector)).toBe(true)
        }
        expect(effective.effects.every((effect) => effect.amount === 0n)).toBe(true)
      }
    }
    // The generator reaches both sides of the property.
    expect(allowed).toBeGreaterThan(500)
    expect(withoutReservation).toBeGreaterThan(10)
  })

  test('the allowed selector itself is what lets an unknown call through', () => {
    expect(toFunctionSelector('function transferAndCall(address,uint256,bytes)')).toBe('0x4000aea0')
    const denied = validatePolicy({ limits: policy.limits })
    if (!denied.ok) throw new Error('policy')
    const { effective } = prepareEvmIntent(network, 'agent-1', call(token, `${allowedUnvalued}00`))
    const decision = evaluatePolicy(denied.policy, effective, emptyUsage(), {
      now: new Date(0),
      agentStatus: 'active',
      breaker: { tripped: false },
    })
    expect(codes(decision)).toEqual(['UNVALUED_CALL'])
  })
})
