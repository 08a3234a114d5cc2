/** Shows an RPC endpoint without the secrets providers hide in it, for messages and logs. */

/**
 * Keeps only scheme and host: credentials live in the userinfo (`user:pass@`), the query (`?apikey=`)
 * and, for Alchemy or Infura, the path (`/v2/<key>`), so none of those may be printed.
 *
 * @example
 * redactRpcUrl('https://user:pass@eth.example.com/v2/KEY?x=1') // 'https://eth.example.com/…'
 */
export function redactRpcUrl(url: string): string {
  try {
    const parsed = new URL(url)
    const hidden = parsed.pathname.length > 1 || parsed.search !== '' || parsed.username !== ''
    return `${parsed.protocol}//${parsed.host}${hidden ? '/…' : ''}`
  } catch {
    return '[unparseable url]'
  }
}

/** Redacts every URL inside free text, such as a node's error message. */
export function redactUrls(text: string): string {
  return text.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, (url) => redactRpcUrl(url))
}
