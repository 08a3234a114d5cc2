/** An organisation's people and automation: members and their roles, invitations, service tokens. */
import {
  accountIdParams,
  createdServiceTokenSchema,
  idParams,
  invitationRequestSchema,
  invitationSchema,
  listOf,
  memberRoleRequestSchema,
  memberSchema,
  serviceTokenRequestSchema,
  serviceTokenSchema,
} from '@bursar/core/api'
import { BursarError } from '@bursar/core/errors'
import {
  appendAudit,
  insertInvitation,
  insertServiceToken,
  listMembers,
  listServiceTokens,
  type MembershipRow,
  revokeServiceToken,
  type ServiceTokenRow,
  setMemberRole,
} from '@bursar/store'
import { defineRoute } from '../http/Route.ts'

const memberResponse = (member: MembershipRow & { email?: string }) => ({
  account_id: member.account_id,
  email: member.email ?? '',
  role: member.role,
  created_at: member.created_at.toISOString(),
})

const tokenResponse = (token: ServiceTokenRow) => ({
  id: token.id,
  name: token.name,
  role: token.role,
  prefix: token.prefix,
  instance_admin: token.instance_admin,
  created_by: token.created_by,
  created_at: token.created_at.toISOString(),
  last_used_at: token.last_used_at?.toISOString() ?? null,
  revoked_at: token.revoked_at?.toISOString() ?? null,
})

const memberNotFound = (accountId: string) =>
  new BursarError('MEMBER_NOT_FOUND', 'no such member of this organisation', {
    details: { account_id: accountId },
  })

export const organisationRoutes = [
  defineRoute({
    method: 'GET',
    path: '/v1/members',
    summary: 'The members of the organisation and their roles',
    access: 'viewer',
    responses: { 200: listOf(memberSchema) },
    handler: async ({ ctx, principal }) => ({
      data: (await listMembers(ctx.db, principal.orgId)).map(memberResponse),
    }),
  }),
  defineRoute({
    method: 'PUT',
    path: '/v1/members/:accountId',
    summary: "Change a member's role ({role}); the organisation always keeps an admin",
    access: 'admin',
    stepUp: true,
    params: accountIdParams,
    body: memberRoleRequestSchema,
    responses: { 200: memberSchema },
    handler: async ({ ctx, principal, params, body }) =>
      ctx.db.transaction(async (tx) => {
        const member = await setMemberRole(tx, {
          orgId: principal.orgId,
          accountId: params.accountId,
          role: body.role,
        })
        if (!member) throw memberNotFound(params.accountId)
        await appendAudit(tx, [
          {
            actor: principal.actor,
            action: 'member.role_changed',
            subject: { type: 'organisation', id: principal.orgId },
            data: { account_id: params.accountId, role: body.role },
          },
        ])
        const email = (await listMembers(tx, principal.orgId)).find(
          (m) => m.account_id === params.accountId,
        )?.email
        return memberResponse({ ...member, ...(email === undefined ? {} : { email }) })
      }),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/v1/members/:accountId',
    summary: 'Remove a member from the organisation; the organisation always keeps an admin',
    access: 'admin',
    stepUp: true,
    params: accountIdParams,
    responses: { 200: memberSchema },
    handler: async ({ ctx, principal, params }) =>
      ctx.db.transaction(async (tx) => {
        const email = (await listMembers(tx, principal.orgId)).find(
          (m) => m.account_id === params.accountId,
        )?.email
        const member = await setMemberRole(tx, {
          orgId: principal.orgId,
          accountId: params.accountId,
          role: null,
        })
        if (!member) throw memberNotFound(params.accountId)
        await appendAudit(tx, [
          {
            actor: principal.actor,
            action: 'member.removed',
            subject: { type: 'organisation', id: principal.orgId },
            data: { account_id: params.accountId },
          },
        ])
        return memberResponse({ ...member, ...(email === undefined ? {} : { email }) })
      }),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/invitations',
    summary: 'Invite someone by email with a role; the token is shown once and signs them up',
    access: 'admin',
    stepUp: true,
    body: invitationRequestSchema,
    responses: { 201: invitationSchema },
    handler: async ({ ctx, principal, body }) =>
      ctx.db.transaction(async (tx) => {
        if (body.instance_admin === true && !principal.instanceAdmin)
          throw new BursarError(
            'INSTANCE_ADMIN_REQUIRED',
            'only the instance admin may hand on the instance admin role',
          )
        const { invitation, secret } = await insertInvitation(tx, {
          instanceAdmin: body.instance_admin === true,
          orgId: principal.orgId,
          email: body.email,
          role: body.role,
          ttlSeconds: body.expires_in_seconds ?? 7 * 86_400,
          createdBy: principal.actor.id,
        })
        await appendAudit(tx, [
          {
            actor: principal.actor,
            action: 'member.invited',
            subject: { type: 'organisation', id: principal.orgId },
            data: { invitation_id: invitation.id, role: body.role },
          },
        ])
        return {
          id: invitation.id,
          email: invitation.email,
          role: invitation.role,
          expires_at: invitation.expires_at.toISOString(),
          token: secret,
        }
      }),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/service-tokens',
    summary: "The organisation's service tokens (for automation), revoked ones included",
    access: 'admin',
    responses: { 200: listOf(serviceTokenSchema) },
    handler: async ({ ctx, principal }) => ({
      data: (await listServiceTokens(ctx.db, principal.orgId)).map(tokenResponse),
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/service-tokens',
    summary: 'Create a service token with a role ({name, role}); shown once. Tokens can never approve',
    access: 'admin',
    stepUp: true,
    body: serviceTokenRequestSchema,
    responses: { 201: createdServiceTokenSchema },
    handler: async ({ ctx, principal, body }) =>
      ctx.db.transaction(async (tx) => {
        const { token, secret } = await insertServiceToken(tx, {
          orgId: principal.orgId,
          name: body.name,
          role: body.role,
          createdBy: principal.actor.id,
        })
        await appendAudit(tx, [
          {
            actor: principal.actor,
            action: 'service_token.created',
            subject: { type: 'service_token', id: token.id },
            data: { role: token.role, prefix: token.prefix },
          },
        ])
        return { ...tokenResponse(token), token: secret }
      }),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/v1/service-tokens/:id',
    summary: 'Revoke a service token',
    access: 'admin',
    params: idParams,
    responses: { 200: serviceTokenSchema },
    handler: async ({ ctx, principal, params }) =>
      ctx.db.transaction(async (tx) => {
        const token = await revokeServiceToken(tx, principal.orgId, params.id)
        if (!token)
          throw new BursarError('SERVICE_TOKEN_NOT_FOUND', 'no such service token in this organisation', {
            details: { token_id: params.id },
          })
        await appendAudit(tx, [
          {
            actor: principal.actor,
            action: 'service_token.revoked',
            subject: { type: 'service_token', id: token.id },
            data: { prefix: token.prefix },
          },
        ])
        return tokenResponse(token)
      }),
  }),
]
