/** Flattens an error and its causes, so classifiers need not care how deeply viem nests the node's answer. */
export function errorChain(error: unknown): unknown[] {
  const chain: unknown[] = []
  let current = error
  // Bounded: a cyclic cause chain must not hang a broadcast.
  while (current !== undefined && current !== null && chain.length < 16) {
    chain.push(current)
    current = typeof current === 'object' && 'cause' in current ? current.cause : undefined
  }
  return chain
}

export function errorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'name' in error && typeof error.name === 'string'
    ? error.name
    : undefined
}
