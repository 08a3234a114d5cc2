import { describe, expect, test } from 'vitest'
import { createBursarClient } from './createBursarClient.ts'
import { createOwnerClient } from './createOwnerClient.ts'

describe('ids in request paths', () => {
  test.each(['', '.', '..'])(
    'error: id %j is refused with VALIDATION_FAILED and nothing is sent',
    async (id) => {
      let requests = 0
      const fetch = async () => {
        requests++
        return new Response('{}')
      }
      const owner = createOwnerClient({ url: 'http://127.0.0.1:1', token: 'bsr_owner_x', fetch })
      const agent = createBursarClient({ url: 'http://127.0.0.1:1', apiKey: 'bsr_x', fetch })
      await expect(owner.revokeKey('agt_1', id)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
      await expect(owner.getAgent(id)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
      await expect(agent.getIntent(id)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
      expect(requests).toBe(0)
    },
  )

  test('an id with reserved characters stays one segment', async () => {
    const urls: string[] = []
    const owner = createOwnerClient({
      url: 'http://127.0.0.1:1',
      token: 'bsr_owner_x',
      fetch: async (input) => {
        urls.push(String(input))
        return new Response('{}')
      },
    })
    await owner.getAgent('a/../b?c')
    expect(urls).toEqual(['http://127.0.0.1:1/v1/agents/a%2F..%2Fb%3Fc'])
  })
})
