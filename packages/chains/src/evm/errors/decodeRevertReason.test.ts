import { encodeErrorResult, parseAbi } from 'viem'
import { expect, test } from 'vitest'
import { decodeRevertReason } from './decodeRevertReason.ts'

const abi = parseAbi(['error Error(string)', 'error Panic(uint256)', 'error Unauthorized(address)'])

test('decodes Error(string)', () => {
  const data = encodeErrorResult({ abi, errorName: 'Error', args: ['nope'] })
  expect(decodeRevertReason(data)).toBe('reverted: nope')
})

test('decodes Panic(uint256) with its meaning', () => {
  const data = encodeErrorResult({ abi, errorName: 'Panic', args: [0x11n] })
  expect(decodeRevertReason(data)).toBe('panic 0x11: arithmetic underflow or overflow')
})

test('names the selector of a custom error', () => {
  const data = encodeErrorResult({
    abi,
    errorName: 'Unauthorized',
    args: ['0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266'],
  })
  expect(decodeRevertReason(data)).toBe(`reverted with custom error ${data.slice(0, 10)}`)
})

test('empty and short revert data', () => {
  expect(decodeRevertReason(undefined)).toBe('reverted without a reason')
  expect(decodeRevertReason('0x')).toBe('reverted without a reason')
  expect(decodeRevertReason('0x1234')).toBe('reverted with malformed data 0x1234')
})
