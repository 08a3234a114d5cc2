/**
 * A development Solana chain: litesvm (the SVM in process) behind the few JSON-RPC methods Bursar and its tests use,
 * on a local port. Clearly not a validator: one leader, no forks, every accepted transaction lands in the next slot
 * and is final at once, blockhashes live until expireBlockhash() is called. For `npm start` and the tests, never for
 * production (point Bursar at a real Solana RPC URL there).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  type Address,
  address,
  getBase58Decoder,
  getBase64Encoder,
  getCompiledTransactionMessageDecoder,
  getTransactionDecoder,
  type Lamports,
  lamports,
  type ReadonlyUint8Array,
} from '@solana/kit'
import { FailedTransactionMetadata, LiteSVM } from 'litesvm'

/** What the network charges per signature (Solana's current base fee). */
export const lamportsPerSignature = 5000n
/** How many blocks a blockhash stays valid on Solana; this chain counts it too. */
const blockhashValidity = 150n
const computeBudgetProgram = 'ComputeBudget111111111111111111111111111111'
const base58 = getBase58Decoder()

export type SolanaDevnet = {
  /** The JSON-RPC URL. */
  url: string
  /** The genesis hash this chain reports (what a network's `genesisHash` must say). */
  genesisHash: string
  /** The SVM itself, for tests that set accounts up directly. */
  svm: LiteSVM
  airdrop(to: string, amount: bigint): void
  /** Replaces the latest blockhash and moves past every earlier one's last valid block height. */
  expireBlockhash(): void
  /** Every method call received (tests count them). */
  calls(): string[]
  close(): Promise<void>
}

type Landed = { slot: bigint; fee: bigint; err: unknown }

type RpcRequest = { jsonrpc: '2.0'; id: number | string | null; method: string; params?: unknown[] }

class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message)
  }
}

/**
 * Starts the chain on 127.0.0.1 (a free port unless `port`).
 * @example
 * const devnet = await startSolanaDevnet()
 * devnet.airdrop(wallet, 10n ** 9n)
 * // network: { family: 'solana', name: 'solana-dev', rpcUrls: [devnet.url], genesisHash: devnet.genesisHash, ... }
 */
export async function startSolanaDevnet(options: { port?: number } = {}): Promise<SolanaDevnet> {
  const svm = new LiteSVM()
  const landed = new Map<string, Landed>()
  const calls: string[] = []
  // Block height of the chain, and the height up to which each blockhash handed out is valid.
  let height = 1n
  const validUntil = new Map<string, bigint>()
  const latest = () => {
    const blockhash = svm.latestBlockhash()
    if (!validUntil.has(blockhash)) validUntil.set(blockhash, height + blockhashValidity)
    return { blockhash, lastValidBlockHeight: validUntil.get(blockhash)! }
  }
  const context = () => ({ apiVersion: '2.2.0', slot: Number(height) })

  const decodeWire = (encoded: unknown, encoding: unknown) => {
    if (typeof encoded !== 'string') throw new RpcError(-32602, 'invalid transaction: expected a string')
    if (encoding !== 'base64') throw new RpcError(-32602, 'only base64 encoding is served')
    try {
      return getTransactionDecoder().decode(getBase64Encoder().encode(encoded))
    } catch {
      throw new RpcError(-32602, 'failed to deserialize transaction')
    }
  }
  // Solana's fee: per signature, plus the priority fee the compute budget instructions ask for.
  const feeOf = (messageBytes: ReadonlyUint8Array): bigint => {
    const message = getCompiledTransactionMessageDecoder().decode(messageBytes)
    let limit = 200_000n
    let price = 0n
    const instructions = 'instructions' in message ? message.instructions : []
    for (const instruction of instructions) {
      if (message.staticAccounts[instruction.programAddressIndex] !== computeBudgetProgram) continue
      const data = instruction.data ?? new Uint8Array()
      const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
      if (data[0] === 2 && data.length >= 5) limit = BigInt(view.getUint32(1, true))
      if (data[0] === 3 && data.length >= 9) price = view.getBigUint64(1, true)
    }
    return (
      BigInt(message.header.numSignerAccounts) * lamportsPerSignature +
      (price * limit + 999_999n) / 1_000_000n
    )
  }
  const blockhashOf = (messageBytes: ReadonlyUint8Array): string =>
    getCompiledTransactionMessageDecoder().decode(messageBytes).lifetimeToken

  const methods: Record<string, (params: unknown[]) => unknown> = {
    getHealth: () => 'ok',
    getVersion: () => ({ 'solana-core': '2.2.0-litesvm', 'feature-set': 0 }),
    getGenesisHash: () => genesisHash,
    getSlot: () => Number(height),
    getBlockHeight: () => Number(height),
    getLatestBlockhash: () => ({ context: context(), value: latest() }),
    isBlockhashValid: ([blockhash]) => ({
      context: context(),
      value: (validUntil.get(String(blockhash)) ?? -1n) >= height,
    }),
    getBalance: ([who]) => ({ context: context(), value: Number(svm.getBalance(toAddress(who)) ?? 0n) }),
    getMinimumBalanceForRentExemption: ([size]) =>
      Number(svm.minimumBalanceForRentExemption(BigInt(Number(size)))),
    getAccountInfo: ([who]) => {
      const account = svm.getAccount(toAddress(who))
      if (!account.exists) return { context: context(), value: null }
      return {
        context: context(),
        value: {
          lamports: Number(account.lamports),
          owner: account.programAddress,
          data: [Buffer.from(account.data).toString('base64'), 'base64'],
          executable: account.executable,
          rentEpoch: 0,
          space: account.data.length,
        },
      }
    },
    getFeeForMessage: ([message]) => ({
      context: context(),
      value: Number(feeOf(getBase64Encoder().encode(String(message)))),
    }),
    simulateTransaction: ([encoded, config]) => {
      const settings = (config ?? {}) as { encoding?: string }
      const decoded = decodeWire(encoded, settings.encoding ?? 'base64')
      // Simulation does not check signatures (Bursar simulates before it signs): empty slots are filled for the SVM.
      const signatures = Object.fromEntries(
        Object.entries(decoded.signatures).map(([key, value]) => [key, value ?? new Uint8Array(64)]),
      )
      const tx = { ...decoded, signatures } as typeof decoded
      svm.withSigverify(false)
      let result: ReturnType<LiteSVM['simulateTransaction']>
      try {
        result = svm.simulateTransaction(tx)
      } finally {
        svm.withSigverify(true)
      }
      if (result instanceof FailedTransactionMetadata) {
        return {
          context: context(),
          value: { err: errorOf(result), logs: result.meta().logs(), unitsConsumed: 0, accounts: null },
        }
      }
      const meta = result.meta()
      return {
        context: context(),
        value: {
          err: null,
          logs: meta.logs(),
          unitsConsumed: Number(meta.computeUnitsConsumed()),
          accounts: null,
        },
      }
    },
    sendTransaction: ([encoded, config]) => {
      const settings = (config ?? {}) as { encoding?: string }
      const tx = decodeWire(encoded, settings.encoding ?? 'base58')
      const signature = base58.decode(Object.values(tx.signatures)[0] ?? new Uint8Array(64))
      if (landed.has(signature))
        throw new RpcError(
          -32002,
          'Transaction simulation failed: This transaction has already been processed',
          { err: 'AlreadyProcessed', logs: [] },
        )
      const blockhash = blockhashOf(tx.messageBytes)
      if ((validUntil.get(blockhash) ?? -1n) < height) {
        throw new RpcError(-32002, 'Transaction simulation failed: Blockhash not found', {
          err: 'BlockhashNotFound',
          logs: [],
        })
      }
      const result = svm.sendTransaction(tx)
      if (result instanceof FailedTransactionMetadata) {
        // Preflight: a transaction that fails is refused, and nothing of it lands (no fee either).
        throw new RpcError(-32002, `Transaction simulation failed: ${result.toString()}`, {
          err: errorOf(result),
          logs: result.meta().logs(),
        })
      }
      height++
      svm.warpToSlot(height)
      landed.set(signature, { slot: height, fee: feeOf(tx.messageBytes), err: null })
      return signature
    },
    getSignatureStatuses: ([signatures]) => ({
      context: context(),
      value: (Array.isArray(signatures) ? signatures : []).map((signature) => {
        const tx = landed.get(String(signature))
        if (tx === undefined) return null
        return {
          slot: Number(tx.slot),
          confirmations: null,
          err: tx.err,
          status: tx.err === null ? { Ok: null } : { Err: tx.err },
          confirmationStatus: 'finalized',
        }
      }),
    }),
    getTransaction: ([signature]) => {
      const tx = landed.get(String(signature))
      if (tx === undefined) return null
      return { slot: Number(tx.slot), blockTime: null, meta: { fee: Number(tx.fee), err: tx.err } }
    },
    getBlock: ([slot]) => {
      const n = BigInt(Number(slot))
      if (n > height || n < 1n) return null
      return { blockhash: `devnet-block-${n}`, blockHeight: Number(n), parentSlot: Number(n - 1n) }
    },
    requestAirdrop: ([who, amount]) => {
      airdrop(String(who), BigInt(Number(amount)))
      return base58.decode(crypto.getRandomValues(new Uint8Array(64)))
    },
  }

  const airdrop = (to: string, amount: bigint) => {
    const result = svm.airdrop(toAddress(to), lamports(amount) as Lamports)
    if (result instanceof FailedTransactionMetadata) throw new Error(`airdrop failed: ${result.toString()}`)
  }

  const handle = (request: RpcRequest): unknown => {
    calls.push(request.method)
    const method = methods[request.method]
    if (method === undefined) {
      return {
        jsonrpc: '2.0',
        id: request.id,
        error: { code: -32601, message: `Method not found: ${request.method}` },
      }
    }
    try {
      return { jsonrpc: '2.0', id: request.id, result: method(request.params ?? []) }
    } catch (error) {
      if (error instanceof RpcError) {
        return {
          jsonrpc: '2.0',
          id: request.id,
          error: { code: error.code, message: error.message, data: error.data },
        }
      }
      return { jsonrpc: '2.0', id: request.id, error: { code: -32603, message: (error as Error).message } }
    }
  }

  const server: Server = createServer((incoming, outgoing) => {
    void (async () => {
      let answer: unknown
      try {
        const body = JSON.parse(await readBody(incoming)) as RpcRequest | RpcRequest[]
        answer = Array.isArray(body) ? body.map(handle) : handle(body)
      } catch {
        answer = { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } }
      }
      outgoing.setHeader('content-type', 'application/json')
      outgoing.end(
        JSON.stringify(answer, (_key, value) => (typeof value === 'bigint' ? Number(value) : value)),
      )
    })()
  })
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    genesisHash,
    svm,
    airdrop,
    expireBlockhash() {
      svm.expireBlockhash()
      height += blockhashValidity + 1n
      svm.warpToSlot(height)
    },
    calls: () => calls.slice(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** The genesis hash of every devnet: fixed, so a network configured for it is checked like any other. */
export const genesisHash = 'BursarDevnet1111111111111111111111111111111'

function toAddress(value: unknown): Address {
  try {
    return address(String(value))
  } catch {
    throw new RpcError(-32602, `Invalid param: ${String(value)} is not a valid address`)
  }
}

// litesvm's TransactionErrorFieldless, in order: the names a Solana RPC reports.
const fieldless =
  'AccountInUse AccountLoadedTwice AccountNotFound ProgramAccountNotFound InsufficientFundsForFee InvalidAccountForFee AlreadyProcessed BlockhashNotFound CallChainTooDeep MissingSignatureForFee InvalidAccountIndex SignatureFailure InvalidProgramForExecution SanitizeFailure ClusterMaintenance AccountBorrowOutstanding WouldExceedMaxBlockCostLimit UnsupportedVersion InvalidWritableAccount WouldExceedMaxAccountCostLimit WouldExceedAccountDataBlockLimit TooManyAccountLocks AddressLookupTableNotFound InvalidAddressLookupTableOwner InvalidAddressLookupTableData InvalidAddressLookupTableIndex InvalidRentPayingAccount WouldExceedMaxVoteCostLimit WouldExceedAccountDataTotalLimit MaxLoadedAccountsDataSizeExceeded ResanitizationNeeded'.split(
    ' ',
  )

/** The transaction error as a Solana RPC words it: a name, or { InstructionError: [index, what] }. */
function errorOf(result: FailedTransactionMetadata): unknown {
  const err = result.err() as unknown
  if (typeof err === 'number') return fieldless[err] ?? `TransactionError${err}`
  if (typeof err === 'object' && err !== null && 'index' in err) {
    const inner = (err as { index: number; err(): unknown }).err()
    return { InstructionError: [err.index, typeof inner === 'number' ? inner : String(inner)] }
  }
  return String((err as { toString(): string }).toString())
}

async function readBody(incoming: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of incoming) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}
