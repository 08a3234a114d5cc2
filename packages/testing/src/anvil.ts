/** Local-chain fixtures for tests: a fresh anvil, a minimal ERC-20 and a contract that always reverts. */
import { type Anvil, anvilNetwork, startAnvil } from '@bursar/chains/evm'
import type { EvmNetwork, TokenDefinition } from '@bursar/core/networks'
import {
  type Address,
  createTestClient,
  getAddress,
  type Hex,
  http,
  numberToHex,
  pad,
  size,
  type TestClient,
} from 'viem'

export type TestAnvil = Anvil & {
  /** Named 'anvil', chain 31337, one confirmation, no tokens. */
  network: EvmNetwork
  /** anvil_* and evm_* methods: set code and storage, toggle automine, mine. */
  testClient: TestClient<'anvil'>
}

/** anvil's priority fee (1 gwei). With a base fee of 0 it is the whole max fee per gas, so fees are exact. */
export const testMaxFeePerGas = 10n ** 9n
/** The fee Bursar reserves for a plain native transfer on a test anvil: 21,000 gas + 20% margin, at 1 gwei. */
export const plainTransferFee = 25_200n * testMaxFeePerGas

/**
 * A throwaway node on a free port with no state file, and a base fee of 0 so that the fees Bursar reserves are exact
 * (gas × 1 gwei) and tests can count them; call `stop()` in `afterAll`.
 *
 * @example
 * let anvil: TestAnvil
 * beforeAll(async () => { anvil = await startTestAnvil() })
 * afterAll(() => anvil.stop())
 */
export async function startTestAnvil(): Promise<TestAnvil> {
  const anvil = await startAnvil({ port: 0, baseFee: 0n })
  return {
    ...anvil,
    network: anvilNetwork(anvil.rpcUrl),
    testClient: createTestClient({ mode: 'anvil', transport: http(anvil.rpcUrl) }),
  }
}

/**
 * Runtime code of a minimal ERC-20, hand-assembled because no Solidity compiler is installed. Balances live
 * at storage slot = holder address, so tests mint with anvil_setStorageAt. It implements only
 * balanceOf(address), decimals() (18) and transfer(address,uint256), which emits Transfer and, when the
 * balance is short, reverts with the bare selector of ERC20InsufficientBalance (0xe450d38c).
 *
 *   0x00 selector = calldata[0:4]; jump to balanceOf (0x28), decimals (0x35), transfer (0x40); else revert
 *   0x28 balanceOf: return sload(calldata[4:36])
 *   0x35 decimals:  return 18
 *   0x40 transfer:  bal = sload(caller); amt = calldata[36:68]; if bal < amt goto 0x91
 *                   sstore(caller, bal - amt); sstore(to, sload(to) + amt)
 *                   log3(Transfer, caller, to, amt); return true
 *   0x91 revert(0xe450d38c)
 */
export const testTokenRuntimeCode: Hex =
  '0x60003560e01c806370a08231146028578063a9059cbb146040578063313ce56714603557600080fd5b6004355460005260206000f35b601260005260206000f35b33546024358082106091578082033355600435805482019055600052600435337fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef60206000a3600160005260206000f35b63e450d38c60e01b60005260046000fd'

export type DeployTestTokenParameters = {
  address?: Address
  symbol?: string
  balances?: Record<Address, bigint>
}

/** Installs the test token and mints `balances`; returns the entry to put in `network.tokens`. */
export async function deployTestToken(
  anvil: TestAnvil,
  parameters: DeployTestTokenParameters = {},
): Promise<TokenDefinition> {
  const address = getAddress(parameters.address ?? '0x7e57000000000000000000000000000000000001')
  await anvil.testClient.setCode({ address, bytecode: testTokenRuntimeCode })
  for (const [holder, amount] of Object.entries(parameters.balances ?? {})) {
    await anvil.testClient.setStorageAt({
      address,
      index: pad(holder as Address),
      value: numberToHex(amount, { size: 32 }),
    })
  }
  return { symbol: parameters.symbol ?? 'TEST', address, decimals: 18 }
}

/**
 * Installs code that reverts every call with `revertData`, e.g. encodeErrorResult of Error("nope"):
 * CODECOPY the payload appended after the 12-byte prologue into memory, then REVERT with it.
 */
export async function deployRevertingContract(
  anvil: TestAnvil,
  revertData: Hex,
  address: Address = '0x00000000000000000000000000000000000Dead0',
): Promise<Address> {
  const length = size(revertData)
  if (length > 0xff) throw new Error('revertData must fit in 255 bytes')
  const n = length.toString(16).padStart(2, '0')
  // PUSH1 n PUSH1 0x0c PUSH1 0 CODECOPY PUSH1 n PUSH1 0 REVERT, then the payload
  const bytecode: Hex = `0x60${n}600c60003960${n}6000fd${revertData.slice(2)}`
  await anvil.testClient.setCode({ address: getAddress(address), bytecode })
  return getAddress(address)
}

/** anvil's automine answers eth_sendRawTransaction just before it mines: poll for the receipt instead of assuming it. */
export async function waitForReceipt<R>(
  adapter: { getReceipt(hash: Hex): Promise<R | null> },
  hash: Hex,
): Promise<R> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const receipt = await adapter.getReceipt(hash)
    if (receipt) return receipt
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error(`no receipt for ${hash} after 5 s`)
}
