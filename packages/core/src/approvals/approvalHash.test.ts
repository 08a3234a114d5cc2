import { describe, expect, test } from 'vitest'
import { type ApprovalHashParameters, approvalHash } from './approvalHash.ts'

const base: ApprovalHashParameters = {
  network: 'anvil',
  agentId: 'agt_1',
  intentId: 'int_1',
  binding: { to: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', value: '5', data: '0xa9059cbb' },
  policyVersion: 3,
}

describe('approvalHash', () => {
  test('64 hex digits, the same for the same input', () => {
    expect(approvalHash(base)).toMatch(/^[0-9a-f]{64}$/)
    expect(approvalHash(structuredClone(base))).toBe(approvalHash(base))
  })

  test('key order does not matter, at any depth (RFC 8785 canonical JSON)', () => {
    const reordered: ApprovalHashParameters = {
      policyVersion: 3,
      binding: { data: '0xa9059cbb', value: '5', to: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' },
      intentId: 'int_1',
      agentId: 'agt_1',
      network: 'anvil',
    }
    expect(approvalHash(reordered)).toBe(approvalHash(base))
  })

  test.each<[string, Partial<ApprovalHashParameters>]>([
    ['network', { network: 'base' }],
    ['agent', { agentId: 'agt_2' }],
    ['intent', { intentId: 'int_2' }],
    ['policy version', { policyVersion: 4 }],
    [
      'binding: recipient',
      { binding: { ...(base.binding as object), to: '0x0000000000000000000000000000000000000001' } },
    ],
    ['binding: value', { binding: { ...(base.binding as object), value: '6' } }],
    ['binding: calldata', { binding: { ...(base.binding as object), data: '0xa9059cbc' } }],
    ['binding: a field added', { binding: { ...(base.binding as object), accessList: [] } }],
  ])('changing the %s changes the hash', (_name, change) => {
    expect(approvalHash({ ...base, ...change })).not.toBe(approvalHash(base))
  })
})
