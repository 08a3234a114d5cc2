/** How long an approval request may wait for its quorum: the default and the bound a policy may set. */

/** A day: long enough for people in other time zones to answer, short enough that a held reservation comes back. */
export const defaultApprovalWaitSeconds = 86_400

/**
 * A week: the longest a request may wait. The server binds a pending request's decision (what approvers are shown)
 * until the request expires, and no longer; a policy may not ask for more.
 */
export const maxApprovalWaitSeconds = 7 * 86_400
