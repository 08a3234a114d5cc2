/**
 * The token functions the EVM adapter can read, with what each does to the caller's value. Everything a wallet can
 * be made to sign on a token and that moves or grants value is here: ERC-20 and its common extensions (allowance
 * helpers, ERC-677, ERC-777, DAI, burns, EIP-2612 permit, multicall) and ERC-721/1155 transfers and operator grants.
 * A function not listed is "unvalued": the policy engine denies it where a token is involved unless the owner
 * allows it by name.
 */
import { type AbiFunction, parseAbiItem, toFunctionSelector } from 'viem'

export const maxUint256 = 2n ** 256n - 1n
export const zeroAddress = '0x0000000000000000000000000000000000000000'

/** What one decoded call does. `amount: 'unlimited'` is an operator grant; `unvalued` names what cannot be valued. */
type TokenFunctionEffect =
  | { kind: 'transfer'; to: string; amount: bigint; unvalued?: string }
  | { kind: 'approval'; to: string; amount: bigint | 'unlimited' }
  | { kind: 'calls'; data: readonly `0x${string}`[] }

export type TokenFunction = {
  name: string
  abi: AbiFunction
  /** Effects of the call, from its decoded arguments; [] for functions that give nothing away. */
  read(args: readonly unknown[]): TokenFunctionEffect[]
}

const address = (value: unknown) => (value as string).toLowerCase()
const uint = (value: unknown) => value as bigint

const signatures: Array<[string, TokenFunction['read']]> = [
  // ERC-20
  ['function transfer(address to, uint256 amount)', ([to, amount]) => [transfer(to, amount)]],
  [
    'function transferFrom(address from, address to, uint256 amount)',
    ([, to, amount]) => [transfer(to, amount)],
  ],
  ['function approve(address spender, uint256 amount)', ([spender, amount]) => [approval(spender, amount)]],
  // Allowance helpers (OpenZeppelin < 5, USDC; older OpenZeppelin and BAT-style tokens)
  ['function increaseAllowance(address spender, uint256 addedValue)', ([s, amount]) => [approval(s, amount)]],
  ['function increaseApproval(address spender, uint256 addedValue)', ([s, amount]) => [approval(s, amount)]],
  ['function decreaseAllowance(address spender, uint256 subtractedValue)', () => []],
  ['function decreaseApproval(address spender, uint256 subtractedValue)', () => []],
  // ERC-677 and approve-and-call
  [
    'function transferAndCall(address to, uint256 amount, bytes data)',
    ([to, amount]) => [transfer(to, amount)],
  ],
  [
    'function approveAndCall(address spender, uint256 amount, bytes data)',
    ([s, amount]) => [approval(s, amount)],
  ],
  // ERC-777
  ['function send(address to, uint256 amount, bytes data)', ([to, amount]) => [transfer(to, amount)]],
  [
    'function operatorSend(address from, address to, uint256 amount, bytes data, bytes operatorData)',
    ([, to, amount]) => [transfer(to, amount)],
  ],
  ['function authorizeOperator(address operator)', ([operator]) => [unlimited(operator)]],
  ['function revokeOperator(address operator)', () => []],
  ['function burn(uint256 amount, bytes data)', ([amount]) => [transfer(zeroAddress, amount)]],
  // Burns (ERC20Burnable): value leaves the wallet as surely as a transfer
  ['function burn(uint256 amount)', ([amount]) => [transfer(zeroAddress, amount)]],
  ['function burnFrom(address account, uint256 amount)', ([, amount]) => [transfer(zeroAddress, amount)]],
  // DAI
  ['function push(address usr, uint256 wad)', ([to, amount]) => [transfer(to, amount)]],
  ['function move(address src, address dst, uint256 wad)', ([, to, amount]) => [transfer(to, amount)]],
  ['function pull(address usr, uint256 wad)', () => []],
  // EIP-2612: submitting a permit grants its spender an allowance
  [
    'function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s)',
    ([, spender, amount]) => [approval(spender, amount)],
  ],
  // Multicall on the token itself: every inner call is read the same way
  ['function multicall(bytes[] data)', ([data]) => [{ kind: 'calls', data: data as `0x${string}`[] }]],
  [
    'function multicall(uint256 deadline, bytes[] data)',
    ([, data]) => [{ kind: 'calls', data: data as `0x${string}`[] }],
  ],
  // ERC-721 / ERC-1155
  [
    'function setApprovalForAll(address operator, bool approved)',
    ([operator, approved]) => (approved === true ? [unlimited(operator)] : []),
  ],
  [
    'function safeTransferFrom(address from, address to, uint256 tokenId)',
    ([, to, id]) => [
      { kind: 'transfer', to: address(to), amount: 1n, unvalued: `ERC-721 token ${uint(id)}` },
    ],
  ],
  [
    'function safeTransferFrom(address from, address to, uint256 tokenId, bytes data)',
    ([, to, id]) => [
      { kind: 'transfer', to: address(to), amount: 1n, unvalued: `ERC-721 token ${uint(id)}` },
    ],
  ],
  [
    'function safeTransferFrom(address from, address to, uint256 id, uint256 amount, bytes data)',
    ([, to, id, amount]) => [
      { kind: 'transfer', to: address(to), amount: uint(amount), unvalued: `ERC-1155 token ${uint(id)}` },
    ],
  ],
  [
    'function safeBatchTransferFrom(address from, address to, uint256[] ids, uint256[] amounts, bytes data)',
    ([, to, , amounts]) => [
      {
        kind: 'transfer',
        to: address(to),
        amount: (amounts as bigint[]).reduce((sum, amount) => sum + amount, 0n),
        unvalued: 'a batch of ERC-1155 tokens',
      },
    ],
  ],
]

function transfer(to: unknown, amount: unknown): TokenFunctionEffect {
  return { kind: 'transfer', to: address(to), amount: uint(amount) }
}
function approval(spender: unknown, amount: unknown): TokenFunctionEffect {
  return { kind: 'approval', to: address(spender), amount: uint(amount) }
}
function unlimited(operator: unknown): TokenFunctionEffect {
  return { kind: 'approval', to: address(operator), amount: 'unlimited' }
}

/** How many signatures are listed: a test checks that none shares a selector with another. */
export const tokenFunctionSignatureCount = signatures.length

/** Lowercase 4-byte selector → the function. */
export const tokenFunctions: ReadonlyMap<string, TokenFunction> = new Map(
  signatures.map(([signature, read]) => {
    const abi = parseAbiItem(signature) as AbiFunction
    return [toFunctionSelector(abi).toLowerCase(), { name: abi.name, abi, read }]
  }),
)
