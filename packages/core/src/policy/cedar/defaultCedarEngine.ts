/**
 * The Cedar engine validatePolicy uses when it is given none. Core cannot load WebAssembly by itself and stay usable
 * in a browser, so the host installs one at start: Node code with @bursar/core/cedar-node, a browser with the web build.
 */
import type { CedarEngine } from './CedarEngine.ts'

let engine: CedarEngine | undefined

/** @example setDefaultCedarEngine(nodeCedarEngine()) */
export function setDefaultCedarEngine(value: CedarEngine | undefined): void {
  engine = value
}

export function defaultCedarEngine(): CedarEngine | undefined {
  return engine
}
