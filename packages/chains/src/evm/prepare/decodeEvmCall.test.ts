import { encodeFunctionData, erc20Abi, parseAbi, toFunctionSelector } from 'viem'
import { describe, expect, test } from 'vitest'
import { decodeEvmCall } from './decodeEvmCall.ts'
import { maxUint256, tokenFunctionSignatureCount, tokenFunctions, zeroAddress } from './tokenFunctions.ts'

const token = '0x5fbdb2315678afecb367f032d93f642f64180aa3'
const asset = `anvil:${token}`
const bob = '0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc'
const alice = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8'

const encode = (signature: string, args: readonly unknown[]) => {
  const abi = parseAbi([`function ${signature}`] as string[])
  return encodeFunctionData({ abi, args } as never)
}

describe('decodeEvmCall', () => {
  test('ERC-20 transfer: the token, its amount and its recipient', () => {
    const data = encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [bob, 7n] })
    expect(decodeEvmCall('anvil', token, data)).toEqual({
      call: { selector: '0xa9059cbb', function: 'transfer' },
      selectors: ['0xa9059cbb'],
      effects: [
        {
          kind: 'transfer',
          asset,
          amount: 7n,
          to: bob,
          via: 'transfer',
          selector: toFunctionSelector('transfer(address,uint256)'),
        },
      ],
      unvalued: [],
    })
  })

  test.each([
    ['transferFrom(address,address,uint256)', [alice, bob, 9n], 'transfer', 9n],
    ['approve(address,uint256)', [bob, 3n], 'approval', 3n],
    ['increaseAllowance(address,uint256)', [bob, 4n], 'approval', 4n],
    ['increaseApproval(address,uint256)', [bob, 5n], 'approval', 5n],
    ['transferAndCall(address,uint256,bytes)', [bob, 10n ** 24n, '0x'], 'transfer', 10n ** 24n],
    ['approveAndCall(address,uint256,bytes)', [bob, 6n, '0x1234'], 'approval', 6n],
    ['send(address,uint256,bytes)', [bob, 8n, '0x'], 'transfer', 8n],
    ['operatorSend(address,address,uint256,bytes,bytes)', [alice, bob, 2n, '0x', '0x'], 'transfer', 2n],
    ['push(address,uint256)', [bob, 11n], 'transfer', 11n],
    ['move(address,address,uint256)', [alice, bob, 12n], 'transfer', 12n],
    [
      'permit(address,address,uint256,uint256,uint8,bytes32,bytes32)',
      [alice, bob, 13n, 0n, 27, `0x${'00'.repeat(32)}`, `0x${'00'.repeat(32)}`],
      'approval',
      13n,
    ],
  ] as const)('%s moves value to its counterparty', (signature, args, kind, amount) => {
    const name = signature.slice(0, signature.indexOf('('))
    const params = signature.slice(name.length + 1, -1).split(',')
    const decoded = decodeEvmCall(
      'anvil',
      token,
      encode(`${name}(${params.map((type, i) => `${type} a${i}`).join(', ')})`, args),
    )
    expect(decoded.effects).toEqual([
      {
        kind,
        asset,
        amount,
        to: bob,
        via: name,
        selector: toFunctionSelector(`${name}(${params.join(',')})`),
      },
    ])
    expect(decoded.unvalued).toEqual([])
  })

  test('burns are transfers to the zero address', () => {
    expect(decodeEvmCall('anvil', token, encode('burn(uint256 amount)', [5n])).effects).toEqual([
      {
        kind: 'transfer',
        asset,
        amount: 5n,
        to: zeroAddress,
        via: 'burn',
        selector: toFunctionSelector('burn(uint256)'),
      },
    ])
  })

  test('operator and approve-all grants are unlimited approvals; revoking gives nothing away', () => {
    expect(decodeEvmCall('anvil', token, encode('authorizeOperator(address o)', [bob])).effects).toEqual([
      {
        kind: 'approval',
        asset,
        amount: maxUint256,
        to: bob,
        unlimited: true,
        via: 'authorizeOperator',
        selector: toFunctionSelector('authorizeOperator(address)'),
      },
    ])
    expect(
      decodeEvmCall('anvil', token, encode('setApprovalForAll(address o, bool a)', [bob, true])).effects,
    ).toEqual([
      {
        kind: 'approval',
        asset,
        amount: maxUint256,
        to: bob,
        unlimited: true,
        via: 'setApprovalForAll',
        selector: toFunctionSelector('setApprovalForAll(address,bool)'),
      },
    ])
    expect(
      decodeEvmCall('anvil', token, encode('setApprovalForAll(address o, bool a)', [bob, false])).effects,
    ).toEqual([])
    expect(
      decodeEvmCall('anvil', token, encode('decreaseAllowance(address s, uint256 v)', [bob, 1n])).effects,
    ).toEqual([])
  })

  test('NFT transfers name the recipient and are unvalued', () => {
    const erc721 = decodeEvmCall(
      'anvil',
      token,
      encode('safeTransferFrom(address f, address t, uint256 id)', [alice, bob, 42n]),
    )
    expect(erc721.effects).toEqual([
      {
        kind: 'transfer',
        asset,
        amount: 1n,
        to: bob,
        via: 'safeTransferFrom',
        selector: toFunctionSelector('safeTransferFrom(address,address,uint256)'),
      },
    ])
    expect(erc721.unvalued[0]?.reason).toContain('ERC-721 token 42')
    const erc1155 = decodeEvmCall(
      'anvil',
      token,
      encode('safeBatchTransferFrom(address f, address t, uint256[] ids, uint256[] v, bytes d)', [
        alice,
        bob,
        [1n, 2n],
        [3n, 4n],
        '0x',
      ]),
    )
    expect(erc1155.effects).toEqual([
      {
        kind: 'transfer',
        asset,
        amount: 7n,
        to: bob,
        via: 'safeBatchTransferFrom',
        selector: toFunctionSelector('safeBatchTransferFrom(address,address,uint256[],uint256[],bytes)'),
      },
    ])
    expect(erc1155.unvalued).toHaveLength(1)
  })

  test('a token multicall is read call by call, every selector listed', () => {
    const inner = [
      encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [bob, 1n] }),
      encodeFunctionData({ abi: erc20Abi, functionName: 'approve', args: [alice, 2n] }),
      '0xdeadbeef' as const,
    ]
    const decoded = decodeEvmCall('anvil', token, encode('multicall(bytes[] data)', [inner]))
    expect(decoded.selectors).toEqual(['0xac9650d8', '0xa9059cbb', '0x095ea7b3', '0xdeadbeef'])
    expect(decoded.effects).toEqual([
      { kind: 'transfer', asset, amount: 1n, to: bob, via: 'transfer', selector: '0xa9059cbb' },
      { kind: 'approval', asset, amount: 2n, to: alice, via: 'approve', selector: '0x095ea7b3' },
    ])
    expect(decoded.unvalued).toEqual([{ selector: '0xdeadbeef', reason: expect.stringContaining('not one') }])
    expect(decoded.call.calls).toHaveLength(3)
  })

  test('unknown functions and short calldata are unvalued', () => {
    expect(decodeEvmCall('anvil', token, '0x12345678').unvalued).toEqual([
      { selector: '0x12345678', reason: 'function 0x12345678 is not one the engine can value' },
    ])
    expect(decodeEvmCall('anvil', token, '0xa905').unvalued[0]?.selector).toBe('0xa905')
  })

  test('error: a known selector with arguments that do not decode is malformed', () => {
    expect(decodeEvmCall('anvil', token, '0xa9059cbb0000').malformed).toContain('transfer')
  })

  test('error: a multicall whose offsets alias (k calls at every level) is malformed after a bounded read', () => {
    // One real inner call, referenced 30 times at each of 4 levels: 30^4 decodes if nothing stops it.
    const decoded = decodeEvmCall('anvil', token, aliased(4, 30, transferCall(1n)))
    // Small calls hit the 64-call cap before the byte budget; either way the read stops early.
    expect(decoded.malformed).toMatch(/overlap one another|more than 64 calls/)
    expect(decoded.selectors.length).toBeLessThanOrEqual(64)
  })

  test('error: aliased blobs of 120 KB below three wrappers are refused before the deepest level is decoded', () => {
    // The review's shape: a 120 KB block aliased 31 times at depth 4, that blob aliased 30 times, three wrappers.
    const block = encodeFunctionData({
      abi: parseAbi(['function transferAndCall(address to, uint256 amount, bytes data)']),
      args: [bob, 1n, `0x${'ab'.repeat(120_000)}`],
    })
    let data = aliased(1, 30, aliased(1, 31, block))
    for (let level = 0; level < 3; level++) data = encode('multicall(bytes[] data)', [[data]])
    expect(data.length).toBeLessThan(2 * 130_000)
    const decoded = decodeEvmCall('anvil', token, data)
    expect(decoded.malformed).toContain('overlap one another')
    // Stopped within the first few aliased blobs: five times the calldata's length is the most a read decodes.
    expect(decoded.selectors.length).toBeLessThan(12)
  })

  test('an honest multicall nested four deep is read in full; a fifth level is unvalued, not decoded', () => {
    let data: `0x${string}` = transferCall(1n)
    for (let level = 0; level < 4; level++)
      data = encode('multicall(bytes[] data)', [[data, transferCall(2n)]])
    const decoded = decodeEvmCall('anvil', token, data)
    expect(decoded.malformed).toBeUndefined()
    expect(decoded.effects).toHaveLength(5)
    const deeper = decodeEvmCall('anvil', token, encode('multicall(bytes[] data)', [[data]]))
    expect(deeper.malformed).toBeUndefined()
    expect(deeper.unvalued).toEqual([
      { selector: '0xac9650d8', reason: 'a multicall nested more than 4 deep' },
    ])
    // The multicall at the fifth level (holding transfers of 1 and 2) is never decoded: only the levels above it.
    expect(deeper.effects.map((effect) => effect.amount)).toEqual([2n, 2n, 2n])
  })

  test('error: more than 64 calls in one intent is malformed', () => {
    const calls = Array.from({ length: 70 }, (_, i) => transferCall(BigInt(i)))
    const decoded = decodeEvmCall('anvil', token, encode('multicall(bytes[] data)', [calls]))
    expect(decoded.malformed).toContain('more than 64 calls')
    expect(decoded.selectors).toHaveLength(64)
  })

  test('every listed function has its own selector (no two signatures collide)', () => {
    expect(tokenFunctions.size).toBe(tokenFunctionSignatureCount)
    expect(tokenFunctions.get(toFunctionSelector('transferAndCall(address,uint256,bytes)'))?.name).toBe(
      'transferAndCall',
    )
  })
})

function transferCall(amount: bigint): `0x${string}` {
  return encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [bob, amount] })
}

/** A multicall of `k` entries whose ABI offsets all point at one copy of `inner`, wrapped `levels` times. */
function aliased(levels: number, k: number, inner: `0x${string}`): `0x${string}` {
  const multicall = parseAbi(['function multicall(bytes[] data)'])
  let data = inner
  for (let level = 0; level < levels; level++) {
    const once = encodeFunctionData({ abi: multicall, args: [[data]] })
    const words = once.slice(10).match(/.{64}/g)!
    const offsetOfElement = BigInt(`0x${words[2]}`)
    const offsets = Array.from({ length: k }, () =>
      (offsetOfElement + BigInt(k - 1) * 32n).toString(16).padStart(64, '0'),
    )
    data = `0xac9650d8${words[0]}${k.toString(16).padStart(64, '0')}${offsets.join('')}${words.slice(3).join('')}`
  }
  return data
}
