/** One call per describe block: a fresh anvil, its own database and a TestBursar, run by vitest hooks. */
import { afterAll, beforeAll } from 'vitest'
import { startTestAnvil, type TestAnvil } from './anvil.ts'
import { type StartTestBursarParameters, startTestBursar, type TestBursar } from './bursar.ts'
import { createTestDb, type TestDb, type TestDbKind } from './database.ts'

type Networks = readonly unknown[]

export type UseTestStackOptions = Pick<
  StartTestBursarParameters,
  'executor' | 'config' | 'families' | 'listen'
> & {
  /** 'postgres' (default): its own database on the test server; 'pglite': in memory. */
  db?: TestDbKind
  /** Pool size of the PostgreSQL connection (tests that hold many transactions open at once). */
  maxConnections?: number
} & (
    | {
        /** Start a fresh anvil (default true). */
        anvil?: true
        /** Default `[anvil.network]`. A function runs once anvil is up, to deploy contracts and list them. */
        networks?: Networks | ((anvil: TestAnvil) => Networks | Promise<Networks>)
      }
    | {
        anvil: false
        /** A function runs in `beforeAll`: it can read a stack started by an enclosing describe block. */
        networks: Networks | (() => Networks | Promise<Networks>)
      }
  )

export type TestStack = {
  /** The anvil this stack started; throws if `anvil: false`. */
  readonly anvil: TestAnvil
  /** The test database (`t.db`, and `t.url` for PostgreSQL). */
  readonly t: TestDb
  /** The current Bursar (the new one after `restartBursar()`). */
  readonly bursar: TestBursar
  /** Closes the Bursar and starts another with the same options on the same database, as a new process would. */
  restartBursar(): Promise<TestBursar>
}

/**
 * Registers `beforeAll` (anvil → database → Bursar) and `afterAll` (the reverse, each step run even if another
 * failed) for the enclosing describe block. Read the stack's properties inside tests and hooks: before `beforeAll`
 * has run they throw.
 *
 * @example
 * describe('circuit breakers', () => {
 *   const stack = useTestStack({ executor: false })
 *
 *   test('an owner can freeze an agent', async () => {
 *     const agent = await stack.bursar.createAgent()
 *     await stack.anvil.testClient.setBalance({ address: agent.address, value: 10n ** 18n })
 *   })
 * })
 */
export function useTestStack(options: UseTestStackOptions = {}): TestStack {
  // The rest goes to startTestBursar; `anvil` and `networks` are read off `options`, which keeps them paired.
  const {
    anvil: _anvil,
    networks: _networks,
    db: kind = 'postgres',
    maxConnections,
    ...bursarOptions
  } = options
  let anvil: TestAnvil | undefined
  let t: TestDb | undefined
  let bursar: TestBursar | undefined
  let networks: Networks = []

  const started = <T>(value: T | undefined, name: string): T => {
    if (value !== undefined) return value
    if (name === 'anvil' && options.anvil === false)
      throw new Error('useTestStack: no anvil (started with anvil: false)')
    throw new Error(
      `useTestStack: ${name} is not running (yet, or any more); read it in a test or hook, not the describe body`,
    )
  }
  const start = () => startTestBursar({ ...bursarOptions, db: started(t, 't').db, networks })

  const resolveNetworks = async (): Promise<Networks> => {
    if (options.anvil === false) {
      return typeof options.networks === 'function' ? await options.networks() : options.networks
    }
    const running = started(anvil, 'anvil')
    if (typeof options.networks === 'function') return await options.networks(running)
    return options.networks ?? [running.network]
  }

  beforeAll(async () => {
    if (options.anvil !== false) anvil = await startTestAnvil()
    t = await createTestDb(kind, maxConnections === undefined ? {} : { maxConnections })
    networks = await resolveNetworks()
    bursar = await start()
  })

  afterAll(async () => {
    const errors: unknown[] = []
    for (const stop of [() => bursar?.close(), () => t?.drop(), () => anvil?.stop()]) {
      try {
        await stop()
      } catch (error) {
        errors.push(error)
      }
    }
    bursar = undefined
    t = undefined
    anvil = undefined
    if (errors.length === 1) throw errors[0]
    if (errors.length > 1) throw new AggregateError(errors, 'useTestStack: teardown failed')
  })

  return {
    get anvil() {
      return started(anvil, 'anvil')
    },
    get t() {
      return started(t, 't')
    },
    get bursar() {
      return started(bursar, 'bursar')
    },
    async restartBursar() {
      await started(bursar, 'bursar').close()
      // If the new one fails to start, afterAll must not close the old one twice.
      bursar = undefined
      bursar = await start()
      return bursar
    },
  }
}
