/**
 * Test contracts in Solidity, compiled with solc from npm (no toolchain download) and cached by source hash, so a
 * test suite compiles each contract once; deployed to a test anvil from one of its funded dev accounts.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { anvilAccounts } from '@bursar/chains/evm'
import { type Abi, type Address, createWalletClient, type Hex, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import type { TestAnvil } from './anvil.ts'

const require = createRequire(import.meta.url)
const contractsDir = fileURLToPath(new URL('../contracts/', import.meta.url))
const cacheDir = join(dirname(require.resolve('solc/package.json')), '..', '.cache', 'bursar-contracts')

export type CompiledContract = { abi: Abi; bytecode: Hex }

/** Compiles contracts/<name>.sol and returns contract `name` from it. */
export function compileContract(name: string): CompiledContract {
  const file = `${name}.sol`
  const source = readFileSync(join(contractsDir, file), 'utf8')
  const solc = require('solc') as { compile(input: string, options: unknown): string; version(): string }
  const key = createHash('sha256').update(solc.version()).update(source).digest('hex').slice(0, 16)
  const cached = join(cacheDir, `${name}-${key}.json`)
  if (existsSync(cached)) return JSON.parse(readFileSync(cached, 'utf8')) as CompiledContract
  const input = {
    language: 'Solidity',
    sources: { [file]: { content: source } },
    settings: {
      optimizer: { enabled: true, runs: 200 },
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
    },
  }
  const findImports = (path: string) => {
    try {
      return { contents: readFileSync(require.resolve(path), 'utf8') }
    } catch {
      return { error: `not found: ${path}` }
    }
  }
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports })) as {
    errors?: Array<{ severity: string; formattedMessage: string }>
    contracts: Record<string, Record<string, { abi: Abi; evm: { bytecode: { object: string } } }>>
  }
  const errors = (output.errors ?? []).filter((error) => error.severity === 'error')
  if (errors.length > 0) throw new Error(errors.map((error) => error.formattedMessage).join('\n'))
  const contract = output.contracts[file]?.[name]
  if (!contract) throw new Error(`${file} has no contract ${name}`)
  const compiled = { abi: contract.abi, bytecode: `0x${contract.evm.bytecode.object}` as Hex }
  mkdirSync(cacheDir, { recursive: true })
  writeFileSync(cached, JSON.stringify(compiled))
  return compiled
}

/** Deploys a compiled contract from anvil's first dev account and waits for it to be mined. */
export async function deployContract(
  anvil: TestAnvil,
  contract: CompiledContract,
  args: readonly unknown[] = [],
): Promise<Address> {
  const account = privateKeyToAccount(anvilAccounts[0]!.privateKey)
  const wallet = createWalletClient({
    account,
    chain: { ...foundry, id: anvil.network.chainId },
    transport: http(anvil.rpcUrl),
  })
  const hash = await wallet.deployContract({ abi: contract.abi, bytecode: contract.bytecode, args } as never)
  for (let attempt = 0; attempt < 500; attempt++) {
    const receipt = (await anvil.testClient.request({
      method: 'eth_getTransactionReceipt',
      params: [hash],
    } as never)) as { contractAddress: Address; status: string } | null
    if (receipt) {
      if (receipt.status !== '0x1') throw new Error(`deploying failed: ${hash}`)
      return receipt.contractAddress
    }
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error(`no receipt for the deployment ${hash}`)
}
