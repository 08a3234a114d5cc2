/**
 * The Cedar engine behind an interface, so that core stays free of how the WebAssembly module is loaded (Node, a
 * browser bundle) and so that an engine the module broke is replaced instead of poisoning the process.
 */
import type { AuthorizationAnswer, Context, DetailedError } from '@cedar-policy/cedar-wasm'

export type CedarRequest = {
  principal: { type: string; id: string }
  action: { type: string; id: string }
  resource: { type: string; id: string }
  context: Context
}

export type CedarEngine = {
  /** Parses one policy: its effect, or Cedar's errors. */
  parsePolicy(
    id: string,
    text: string,
  ): { ok: true; effect: 'permit' | 'forbid' } | { ok: false; errors: DetailedError[] }
  /**
   * Decides `request` against a policy set (keyed by policy id); parsed once per set and engine instance. The set is
   * found again by the object's identity (a compiled policy passes the same object every time), else by its text:
   * do not change a set's object after passing it.
   */
  isAuthorized(request: CedarRequest, policies: Record<string, string>): AuthorizationAnswer
}

/** The functions of @cedar-policy/cedar-wasm that Bursar uses (any of its builds). */
export type CedarWasm = Pick<
  typeof import('@cedar-policy/cedar-wasm'),
  'checkParsePolicySet' | 'policyToJson' | 'preparsePolicySet' | 'statefulIsAuthorized'
>

/** One loaded module and the policy sets parsed in it: by text, and by the object last passed for that text. */
type Instance = { wasm: CedarWasm; sets: Map<string, string>; objects: WeakMap<object, string> }

/**
 * Wraps a loader of the WebAssembly module. A call that throws inside the module (a stack overflow leaves it
 * unusable: every later call fails with "memory access out of bounds") discards that instance; the next call loads a
 * fresh one. The failing call itself answers as a failure, which the engine's callers treat as a deny.
 * @example const engine = createCedarEngine(() => require('@cedar-policy/cedar-wasm/nodejs'))
 */
export function createCedarEngine(load: () => CedarWasm): CedarEngine {
  let instance: Instance | undefined
  let generation = 0
  const current = () => {
    if (instance === undefined) {
      generation++
      instance = { wasm: load(), sets: new Map(), objects: new WeakMap() }
    }
    return instance
  }
  const guarded = <T>(run: (used: Instance) => T, failure: (message: string) => T): T => {
    const used = current()
    try {
      return run(used)
    } catch (error) {
      if (instance === used) instance = undefined
      return failure(error instanceof Error ? error.message : String(error))
    }
  }
  const failed = (message: string): { ok: false; errors: DetailedError[] } => ({
    ok: false,
    errors: [{ message: `the Cedar engine failed (${message})` } as DetailedError],
  })
  return {
    parsePolicy(id, text) {
      return guarded(({ wasm }): ReturnType<CedarEngine['parsePolicy']> => {
        const parsed = wasm.checkParsePolicySet({ staticPolicies: { [id]: text } })
        if (parsed.type === 'failure') return { ok: false, errors: parsed.errors }
        const json = wasm.policyToJson(text)
        if (json.type === 'failure') return { ok: false, errors: json.errors }
        return { ok: true, effect: json.json.effect }
      }, failed)
    },
    isAuthorized(request, policies) {
      return guarded(
        (used) => {
          const { wasm, sets } = used
          // By identity first: serialising a large set on every call cost more than deciding it.
          let id = used.objects.get(policies)
          if (id === undefined) {
            const text = JSON.stringify(policies)
            id = sets.get(text)
            if (id === undefined) {
              id = `bursar-${generation}-${sets.size + 1}`
              const parsed = wasm.preparsePolicySet(id, { staticPolicies: policies })
              if (parsed.type === 'failure') return { type: 'failure', errors: parsed.errors, warnings: [] }
              if (sets.size > 10_000) {
                // Ids are reused from here on (bounding the module's memory), so no old mapping may survive.
                sets.clear()
                used.objects = new WeakMap()
              }
              sets.set(text, id)
            }
            used.objects.set(policies, id)
          }
          return wasm.statefulIsAuthorized({ ...request, preparsedPolicySetId: id, entities: [] })
        },
        (message): AuthorizationAnswer => ({
          type: 'failure',
          errors: [{ message: `the Cedar engine failed (${message})` } as DetailedError],
          warnings: [],
        }),
      )
    },
  }
}
