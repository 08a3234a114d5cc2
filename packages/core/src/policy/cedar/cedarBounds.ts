/**
 * Limits on Cedar rules, checked before the text reaches the engine. Per rule: the engine recurses on nesting and on
 * long operator chains, and about 140 nested parentheses overflow its stack (measured with cedar-wasm 4.13: 100
 * parse, 140 do not; 140-term && chains parse, 500 do not); the limits sit well below what breaks it. Per policy: the
 * rules run once per movement of value (up to ~64 in one multicall), so what one evaluation costs is bounded by the
 * whole set's size, not one rule's. Evaluation time grows with the number of expressions the engine builds (each
 * list element is one), so "operators" count commas and opening brackets too.
 */

export const cedarBounds = {
  /** Characters in one rule. */
  maxLength: 8192,
  /** Nested brackets in one rule. */
  maxNesting: 32,
  /** Operators in one rule (`&&`, `==`, `.`, `has`, `like`, …, each comma and each opening bracket). */
  maxOperators: 300,
  /** Rules in one policy. */
  maxRules: 32,
  /** Characters in all the rules of a policy together. */
  maxTotalLength: 32_768,
  /** Operators in all the rules of a policy together. */
  maxTotalOperators: 1_000,
} as const

const operatorCharacters = '&|=!<>+-*.'

/** The nesting depth and operator count of `text`. Strings and comments are skipped: their content is not structure. */
function measureCedar(text: string): { deepest: number; operators: number } {
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
      // Brackets cost like operators: `[1] == [1]` builds two sets, `f(x)` calls a function.
      operators++
      depth++
      if (depth > deepest) deepest = depth
    } else if (c === ')' || c === ']' || c === '}') {
      depth--
    } else if (c === ',') {
      operators++
    } else if (operatorCharacters.includes(c)) {
      // A run such as "==" or "&&" is one operator.
      if (i === 0 || !operatorCharacters.includes(text[i - 1]!)) operators++
    } else if (/[a-z]/.test(c) && (i === 0 || !/[A-Za-z0-9_]/.test(text[i - 1]!))) {
      const word = /^[a-z]+/.exec(text.slice(i, i + 8))?.[0]
      if (word === 'if' || word === 'has' || word === 'like' || word === 'in' || word === 'is') operators++
    }
  }
  return { deepest, operators }
}

/** Returns why the rule `text` is refused, or undefined. */
export function checkCedarBounds(text: string): string | undefined {
  if (text.length > cedarBounds.maxLength) {
    return `a Cedar rule may be at most ${cedarBounds.maxLength} characters long`
  }
  const { deepest, operators } = measureCedar(text)
  if (deepest > cedarBounds.maxNesting) {
    return `a Cedar rule may nest brackets at most ${cedarBounds.maxNesting} deep (this one: ${deepest})`
  }
  if (operators > cedarBounds.maxOperators) {
    return `a Cedar rule may use at most ${cedarBounds.maxOperators} operators (this one: ${operators}); split it into several rules`
  }
  return undefined
}

/**
 * Returns why a policy's Cedar rules (their texts) are refused together, or undefined: too many, or too large in
 * all. Each rule's own bounds are checkCedarBounds'.
 */
export function checkCedarSetBounds(texts: readonly string[]): string | undefined {
  if (texts.length > cedarBounds.maxRules) {
    return `a policy may have at most ${cedarBounds.maxRules} Cedar rules (this one: ${texts.length})`
  }
  let length = 0
  let operators = 0
  for (const text of texts) {
    length += text.length
    // A rule over its own length bound is reported on its own; measuring it here would only burn CPU.
    if (text.length <= cedarBounds.maxLength) operators += measureCedar(text).operators
  }
  if (length > cedarBounds.maxTotalLength) {
    return `a policy's Cedar rules may hold at most ${cedarBounds.maxTotalLength} characters in all (these: ${length}); they run once per movement of value, so their size multiplies`
  }
  if (operators > cedarBounds.maxTotalOperators) {
    return `a policy's Cedar rules may use at most ${cedarBounds.maxTotalOperators} operators in all (these: ${operators}); they run once per movement of value, so their size multiplies`
  }
  return undefined
}
