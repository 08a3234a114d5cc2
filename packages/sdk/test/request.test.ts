import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { BursarApiError, createBursarClient } from '../src/index.ts'

// A real HTTP server playing a misbehaving reverse proxy in front of Bursar.
let server: Server
let url: string
beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url?.includes('proxy-down')) {
      response.writeHead(502, { 'content-type': 'text/html' }).end('<html><body>Bad Gateway</body></html>')
    } else {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"id": "int_1", "status":')
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

test('error: an HTML error page from a proxy becomes a BursarApiError that keeps the status', async () => {
  const client = createBursarClient({ url, apiKey: 'bsr_test' })
  const error = await client.getIntent('proxy-down').catch((e: unknown) => e)
  expect(error).toBeInstanceOf(BursarApiError)
  expect(error).toMatchObject({
    code: 'HTTP_ERROR',
    status: 502,
    details: { body: expect.stringContaining('Bad Gateway') },
  })
})

test('error: a truncated JSON body is INVALID_RESPONSE, not a SyntaxError', async () => {
  const client = createBursarClient({ url, apiKey: 'bsr_test' })
  await expect(client.getIntent('int_1')).rejects.toMatchObject({
    name: 'BursarApiError',
    code: 'INVALID_RESPONSE',
    status: 200,
  })
})

test('error: an unreachable server is NETWORK_ERROR', async () => {
  const client = createBursarClient({ url: 'http://127.0.0.1:1', apiKey: 'bsr_test' })
  await expect(client.getIntent('int_1')).rejects.toMatchObject({ code: 'NETWORK_ERROR', status: 0 })
})
