/**
 * Limits on a Cedar rule's shape, checked before the text reaches the engine: the engine recurses on nesting and on
 * long operator chains, and about 140 nested parentheses overflow its stack (measured with cedar-wasm 4.13: 100
 * parse, 140 do not; 140-term && chains parse, 500 do not). The limits sit well below what breaks it.
 */

export const cedarBounds = { maxLength: 8192, maxNesting: 32, maxOperators: 300 } as const

/** Returns why `text` is refused, or undefined. Strings and comments are skipped: their content is not structure. */
export function checkCedarBounds(text: string): string | undefined {
  if (text.length > cedarBounds.maxLength) {
    return `a Cedar rule may be at most ${cedarBounds.maxLength} characters long`
  }
  let depth = 0
  let deepest = 0
  let operators = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++
      continue
    }
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++
      continue
    }
    if (c === '(' || c === '[' || c === '{') {
      depth++
      if (depth > deepest) deepest = depth
    } else if (c === ')' || c === ']' || c === '}') {
      depth--
    } else if ('&|=!<>+-*.'.includes(c)) {
      // A run such as "==" or "&&" is one operator.
      if (i === 0 || !'&|=!<>+-*.'.includes(text[i - 1]!)) operators++
    } else if (/[a-z]/.test(c) && (i === 0 || !/[A-Za-z0-9_]/.test(text[i - 1]!))) {
      const word = /^[a-z]+/.exec(text.slice(i, i + 8))?.[0]
      if (word === 'if' || word === 'has' || word === 'like' || word === 'in' || word === 'is') operators++
    }
  }
  if (deepest > cedarBounds.maxNesting) {
    return `a Cedar rule may nest brackets at most ${cedarBounds.maxNesting} deep (this one: ${deepest})`
  }
  if (operators > cedarBounds.maxOperators) {
    return `a Cedar rule may use at most ${cedarBounds.maxOperators} operators (this one: ${operators}); split it into several rules`
  }
  return undefined
}
