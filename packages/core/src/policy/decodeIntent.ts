/** What an intent really does, read from the bytes that get signed (to, value, data) rather than from its labels. */
import { type Abi, decodeFunctionData, erc20Abi, parseAbi } from 'viem'
import type { PolicyIntent } from './PolicyIntent.ts'

export type TokenCall = {
  fn: 'transfer' | 'transferFrom' | 'approve'
  /** Token amount (the allowance, for approve). */
  amount: bigint
  /** Token recipient, or the spender for approve; lowercase. */
  counterparty: string
}

export type EffectiveIntent = {
  /** Asset key the intent moves: the token for ERC-20 transfer/transferFrom/approve, else `${network}:native`. */
  asset: string
  amount: bigint
  /** Lowercase: the token recipient (the spender for approve), else the transaction target. */
  recipient: string
  /** Lowercase transaction target. */
  target: string
  /** Calldata is present (not absent, not '0x'). */
  hasData: boolean
  /** Lowercase '0x' + 8 hex digits; shorter when the calldata has fewer than 4 bytes; undefined without data. */
  selector: string | undefined
  token: TokenCall | undefined
  /** Every asset the intent moves with a non-zero amount: the token amount and/or the native value. */
  spends: ReadonlyArray<{ asset: string; amount: bigint }>
  /** Set when the calldata carries an ERC-20 selector but its arguments do not decode. */
  malformed: string | undefined
}

const erc20Functions: Record<string, { fn: TokenCall['fn']; abi: Abi }> = {}
for (const item of erc20Abi) {
  if (item.type !== 'function') continue
  if (item.name === 'transfer') erc20Functions['0xa9059cbb'] = { fn: 'transfer', abi: [item] }
  if (item.name === 'transferFrom') erc20Functions['0x23b872dd'] = { fn: 'transferFrom', abi: [item] }
  if (item.name === 'approve') erc20Functions['0x095ea7b3'] = { fn: 'approve', abi: [item] }
}
// increaseAllowance(spender, addedValue) grants an allowance just like approve (USDC and OpenZeppelin < 5 have it):
// decoded as an approve, so token limits and the unlimited-approval rule see it.
erc20Functions['0x39509351'] = {
  fn: 'approve',
  abi: parseAbi(['function increaseAllowance(address spender, uint256 addedValue) returns (bool)']),
}

// usageRequest and evaluatePolicy decode the same intent back to back; remembering the last one halves the work.
// The fields are compared too, so an intent object mutated in between is decoded afresh.
let last:
  | { network: string; to: string; value: bigint; data: string | undefined; effective: EffectiveIntent }
  | undefined

/**
 * Derives the effective asset, amount and recipient (the result is frozen and may be shared: do not modify it). An ERC-20 approve counts as spending the allowance: once granted,
 * the spender can move the tokens without asking Bursar again.
 * @example decodeIntent({ ...intent, to: usdc, data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [bob, 5n] }) })
 * // { asset: `anvil:${usdc}`, amount: 5n, recipient: bob, ... }
 */
export function decodeIntent(intent: PolicyIntent): EffectiveIntent {
  if (
    last !== undefined &&
    last.data === intent.data &&
    last.to === intent.to &&
    last.value === intent.value &&
    last.network === intent.network
  ) {
    return last.effective
  }
  const effective = Object.freeze(decode(intent))
  last = { network: intent.network, to: intent.to, value: intent.value, data: intent.data, effective }
  return effective
}

function decode(intent: PolicyIntent): EffectiveIntent {
  const target = intent.to.toLowerCase()
  const native = `${intent.network}:native`
  const data = intent.data
  const hasData = data !== undefined && data.length > 2
  const selector = hasData ? data.slice(0, 10).toLowerCase() : undefined
  const known = selector === undefined ? undefined : erc20Functions[selector]
  let token: TokenCall | undefined
  let malformed: string | undefined
  if (known !== undefined) {
    try {
      const { args } = decodeFunctionData({ abi: known.abi, data: data as `0x${string}` })
      const values = args as readonly unknown[]
      token =
        known.fn === 'transferFrom'
          ? { fn: known.fn, amount: values[2] as bigint, counterparty: (values[1] as string).toLowerCase() }
          : { fn: known.fn, amount: values[1] as bigint, counterparty: (values[0] as string).toLowerCase() }
    } catch {
      malformed = `calldata starts with the ERC-20 ${known.fn} selector but its arguments do not decode`
    }
  }
  const spends: Array<{ asset: string; amount: bigint }> = []
  if (token !== undefined) {
    const asset = `${intent.network}:${target}`
    if (token.amount > 0n) spends.push({ asset, amount: token.amount })
    if (intent.value > 0n) spends.push({ asset: native, amount: intent.value })
    return {
      asset,
      amount: token.amount,
      recipient: token.counterparty,
      target,
      hasData,
      selector,
      token,
      spends,
      malformed,
    }
  }
  if (intent.value > 0n) spends.push({ asset: native, amount: intent.value })
  return {
    asset: native,
    amount: intent.value,
    recipient: target,
    target,
    hasData,
    selector,
    token,
    spends,
    malformed,
  }
}
