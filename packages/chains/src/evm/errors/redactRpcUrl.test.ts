import { expect, test } from 'vitest'
import { redactRpcUrl, redactUrls } from './redactRpcUrl.ts'

test('keeps scheme and host, drops credentials, path and query', () => {
  expect(redactRpcUrl('https://user:secret@eth.example.com:8545/v2/KEY?apikey=abc')).toBe(
    'https://eth.example.com:8545/…',
  )
  expect(redactRpcUrl('http://127.0.0.1:8545')).toBe('http://127.0.0.1:8545')
  expect(redactRpcUrl('not a url')).toBe('[unparseable url]')
})

test('redacts URLs inside text', () => {
  expect(redactUrls('failed: https://u:p@rpc.example.org/key?x=1 (403)')).toBe(
    'failed: https://rpc.example.org/… (403)',
  )
})
