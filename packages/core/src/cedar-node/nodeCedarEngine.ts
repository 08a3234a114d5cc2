/**
 * @bursar/core/cedar-node: the Cedar engine for Node.js processes. Each instance is a fresh load of cedar-wasm's
 * CommonJS build (dropped from the require cache first), so a module broken by a failed call is replaced, not reused.
 */
import { createRequire } from 'node:module'
import { setFlagsFromString } from 'node:v8'
import { type CedarEngine, type CedarWasm, createCedarEngine } from '../policy/cedar/CedarEngine.ts'

// V8 in Node 20 can abort the whole process ("Fatal error … unreachable code" in the deoptimizer) when it lazily
// deoptimises a JavaScript frame into which it inlined a call to the Cedar WebAssembly module; bench/policy.ts hit it
// in most runs. Not inlining JS→Wasm calls costs nothing measurable and removes the crash.
setFlagsFromString('--no-turbo-inline-js-wasm-calls')

const require = createRequire(import.meta.url)
const modulePath = require.resolve('@cedar-policy/cedar-wasm/nodejs')

/** @example setDefaultCedarEngine(nodeCedarEngine()) */
export function nodeCedarEngine(): CedarEngine {
  return createCedarEngine(() => {
    delete require.cache[modulePath]
    return require(modulePath) as CedarWasm
  })
}
