/** How long an approval request may wait for its quorum: the default and the bound a policy may set. */

/** A day: long enough for people in other time zones to answer, short enough that a held reservation comes back. */
export const defaultApprovalWaitSeconds = 86_400

/**
 * A week. The server binds a pending request's decision (what approvers are shown) for this long; a longer wait
 * could never end in an approval, so a policy may not ask for one.
 */
export const maxApprovalWaitSeconds = 7 * 86_400
