/** Time-ordered, prefixed identifiers: `int_…` sorts by creation, which cursor pagination relies on. */
import { randomBytes } from 'node:crypto'

export type IdPrefix =
  | 'own'
  | 'otk'
  | 'stk'
  | 'agt'
  | 'key'
  | 'kms'
  | 'wal'
  | 'int'
  | 'org'
  | 'acc'
  | 'inv'
  | 'ses'
  | 'pk'
  | 'apr'

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${Date.now().toString(36).padStart(9, '0')}${randomBytes(8).toString('hex')}`
}
