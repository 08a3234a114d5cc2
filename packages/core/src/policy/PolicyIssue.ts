/** A reason a policy document is refused: where in the document, and what is wrong there. */
export type PolicyIssue = {
  /** JSON path of the offending value, e.g. `$.limits.windows[1].max`. */
  path: string
  message: string
}
