/** Whether an endpoint's event type patterns take an event: the one place that says what a pattern means. */

/**
 * '*' takes every event, 'intent.*' every type that starts with 'intent.', anything else only that exact type.
 *
 * @example webhookEventMatches(['intent.*'], 'intent.confirmed') // true
 */
export function webhookEventMatches(patterns: readonly string[], eventType: string): boolean {
  return patterns.some((pattern) =>
    pattern === '*'
      ? true
      : pattern.endsWith('.*')
        ? eventType.startsWith(pattern.slice(0, -1))
        : pattern === eventType,
  )
}
