/** What changed between two policy documents, as JSON paths, for `bursar policy diff` and the audit log. */
import { jsonPath } from './jsonPath.ts'
import type { PolicyDocument } from './policyDocumentSchema.ts'

export type PolicyChange = { path: string; before?: unknown; after?: unknown }

/**
 * Lists leaf changes. Lists of plain values (addresses, networks, selectors) compare as sets: a removed entry is
 * reported at its index in `a`, an added one at its index in `b`. Lists of rules are matched by `id` when every
 * rule has one, else by position.
 * @example
 * diffPolicies({ chains: { allow: ['anvil'] } }, { chains: { allow: ['anvil', 'base'] } })
 * // [{ path: '$.chains.allow[1]', after: 'base' }]
 */
export function diffPolicies(a: PolicyDocument, b: PolicyDocument): PolicyChange[] {
  const changes: PolicyChange[] = []
  diff(a, b, [], changes)
  return changes
}

function diff(a: unknown, b: unknown, path: PropertyKey[], changes: PolicyChange[]): void {
  if (a === b) return
  if (a === undefined) {
    changes.push({ path: jsonPath(path), after: b })
    return
  }
  if (b === undefined) {
    changes.push({ path: jsonPath(path), before: a })
    return
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    diffArrays(a, b, path, changes)
    return
  }
  if (isObject(a) && isObject(b)) {
    const keys = [...Object.keys(a), ...Object.keys(b).filter((key) => !(key in a))]
    for (const key of keys) diff(a[key], b[key], [...path, key], changes)
    return
  }
  changes.push({ path: jsonPath(path), before: a, after: b })
}

function diffArrays(a: unknown[], b: unknown[], path: PropertyKey[], changes: PolicyChange[]): void {
  if (a.every(isPrimitive) && b.every(isPrimitive)) {
    const inB = new Set(b)
    const inA = new Set(a)
    a.forEach((value, index) => {
      if (!inB.has(value)) changes.push({ path: jsonPath([...path, index]), before: value })
    })
    b.forEach((value, index) => {
      if (!inA.has(value)) changes.push({ path: jsonPath([...path, index]), after: value })
    })
    return
  }
  const ids = (list: unknown[]) =>
    list.map((item) => (isObject(item) && typeof item.id === 'string' ? item.id : undefined))
  const idsA = ids(a)
  const idsB = ids(b)
  if (idsA.every((id) => id !== undefined) && idsB.every((id) => id !== undefined)) {
    idsA.forEach((id, index) => {
      if (!idsB.includes(id)) changes.push({ path: jsonPath([...path, index]), before: a[index] })
    })
    idsB.forEach((id, index) => {
      const before = idsA.indexOf(id)
      diff(before === -1 ? undefined : a[before], b[index], [...path, index], changes)
    })
    return
  }
  for (let index = 0; index < Math.max(a.length, b.length); index++)
    diff(a[index], b[index], [...path, index], changes)
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isPrimitive(value: unknown): boolean {
  return value === null || typeof value !== 'object'
}
