/** Extracts what the node actually said from viem's wrapped errors, with any URL redacted. */
import { errorChain } from './errorChain.ts'
import { redactUrls } from './redactRpcUrl.ts'

export function nodeMessage(error: unknown): string {
  for (const link of errorChain(error)) {
    // viem puts the node's own words in `details`; its `message` adds the request URL, so never use it.
    if (typeof link === 'object' && link !== null && 'details' in link && typeof link.details === 'string') {
      if (link.details !== '') return redactUrls(link.details)
    }
  }
  const first = errorChain(error)[0]
  if (typeof first === 'object' && first !== null && 'shortMessage' in first) {
    if (typeof first.shortMessage === 'string') return redactUrls(first.shortMessage)
  }
  return 'unknown error'
}
