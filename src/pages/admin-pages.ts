import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Role } from '../../db/tables.ts';
import { originOf } from '../accounts/auth-routes.ts';
import { createAccount, updateAccount } from '../accounts/staff.ts';
import { findUser, listUsers, type UserRow } from '../accounts/users.ts';
import { DASHBOARD_PATH } from '../admin/queue-dashboard.ts';
import { closeDay, reopenDay } from '../calendar/closures.ts';
import { listClosures } from '../calendar/store.ts';
import { isIsoDate, todayIn } from '../domain/calendar.ts';
import { cancelledByClosure } from '../domain/closures.ts';
import { outStatuses } from '../domain/request-status.ts';
import { accountOf } from '../http/auth.ts';
import { IdSchema, IsoDateSchema } from '../http/schemas.ts';
import { pagePaths } from '../links.ts';
import { deskStatus, readableDate } from '../wording.ts';
import { requestsOn } from '../requests/store.ts';
import { attempt, pageRenderer, seeOther, type PageOptions } from './kit.ts';
import { emailProblem, FormBody, FormText, hidden, passwordProblem } from './form.ts';

// The admin's hub: the reading room's closures (close a day, with the warning before a forced
// closure cancels booked requests; reopen one), the accounts of staff, curators and admins
// (create, change a role, disable or enable), and the link to the queue dashboard. Every change
// is a domain operation, as the API makes it; each post redirects back (303) with a notice.

const access = { access: ['admin'] as const };

/** The roles an admin gives on this page (researchers register themselves). */
const staffRoles = ['staff', 'curator', 'admin'] as const satisfies readonly Role[];
const isStaffRole = (value: string | undefined): value is (typeof staffRoles)[number] => (staffRoles as readonly string[]).includes(value ?? '');
const roleNames: Record<Role, string> = { researcher: 'a researcher', staff: 'paging staff', curator: 'a curator', admin: 'an admin' };


interface CloseForm {
  date: string;
  reason: string;
}
interface AccountForm {
  email: string;
  name: string;
  role: string;
}

export const adminPages: FastifyPluginAsyncTypebox<PageOptions> = async (app, { db, config, clock, requests }) => {
  const page = pageRenderer(config, clock);
  const accountsCtx = { db, publicUrl: config.publicUrl };

  const staffAccounts = async (): Promise<UserRow[]> => {
    const accounts: UserRow[] = [];
    for (const role of staffRoles) accounts.push(...(await listUsers(db, { role, limit: 200 })));
    return accounts.sort((a, b) => a.id - b.id);
  };

  /** The hub; a refused form comes back filled in, with the problem. */
  const renderHub = async (
    request: FastifyRequest,
    reply: FastifyReply,
    view: { notice?: string | null; problem?: string | null; closeForm?: CloseForm; accountForm?: AccountForm } = {},
    status = 200,
  ) => {
    const today = todayIn(config.timezone, clock());
    return page(
      request,
      reply,
      'admin-hub',
      {
        title: 'Administration',
        wide: true,
        closures: await listClosures(db, { from: today }),
        staff: (await staffAccounts()).map((user) => ({
          id: user.id,
          name: user.name,
          email: user.email,
          role: user.role,
          disabled: user.disabledAt !== null,
          self: user.id === accountOf(request).id,
        })),
        staffRoles,
        closeForm: view.closeForm ?? { date: '', reason: '' },
        accountForm: view.accountForm ?? { email: '', name: '', role: 'staff' },
        dashboardPath: DASHBOARD_PATH,
        importHref: pagePaths.importFindingAid,
        containersHref: pagePaths.containers,
        roomsHref: pagePaths.readingRooms,
        notice: view.notice ?? null,
        problem: view.problem ?? null,
      },
      status,
    );
  };

  /** The notice after a change, from the redirect's query (only known words and ids are read). */
  const noticeOf = async (query: { done?: string | undefined; date?: string | undefined; cancelled?: number | undefined; user?: number | undefined }): Promise<string | null> => {
    const { done, date, cancelled, user: userId } = query;
    if ((done === 'closed' || done === 'reopened') && date !== undefined && isIsoDate(date)) {
      if (done === 'reopened') return `The reading room is open again on ${readableDate(date)}.`;
      const count = cancelled ?? 0;
      const cancellations =
        count === 0 ? 'No requests were booked for it.' : `${count} ${count === 1 ? 'request was' : 'requests were'} cancelled, and the researchers are being told.`;
      return `The reading room is closed on ${readableDate(date)}. ${cancellations}`;
    }
    const user = userId === undefined ? undefined : await findUser(db, userId);
    if (!user) return null;
    switch (done) {
      case 'created':
        return `Account created: ${user.name} (${user.email}) is ${roleNames[user.role]} and can sign in now.`;
      case 'role':
        return `${user.name} is now ${roleNames[user.role]}; they must sign in again.`;
      case 'disabled':
        return `${user.name}'s account is disabled: they can no longer sign in, and their sessions have ended.`;
      case 'enabled':
        return `${user.name}'s account is enabled again: they can sign in.`;
      default:
        return null;
    }
  };

  app.get(
    '/admin',
    {
      config: access,
      schema: {
        ...hidden,
        querystring: Type.Object({
          done: Type.Optional(FormText),
          date: Type.Optional(FormText),
          cancelled: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
          user: Type.Optional(IdSchema),
        }),
      },
    },
    async (request, reply) => renderHub(request, reply, { notice: await noticeOf(request.query) }),
  );

  // Closures.

  app.post(
    '/admin/closures',
    {
      config: access,
      preHandler: app.csrfProtection,
      schema: {
        ...hidden,
        body: FormBody({ date: FormText, reason: FormText, force: Type.Optional(FormText) }),
      },
    },
    async (request, reply) => {
      const date = request.body.date.trim();
      const reason = request.body.reason.trim();
      const force = request.body.force === 'true';
      const closeForm = { date, reason };
      if (!isIsoDate(date)) return renderHub(request, reply, { problem: 'Choose the day to close.', closeForm }, 400);
      if (!reason || reason.length > 200) {
        return renderHub(request, reply, { problem: 'Give the reason for the closure (up to 200 characters): researchers will see it in the calendar.', closeForm }, 400);
      }
      const closed = await attempt(() => closeDay(requests, { date, reason, force, readingRoomId: null }, accountOf(request), clock()));
      if (closed.ok) return seeOther(reply, config, `/admin?done=closed&date=${date}&cancelled=${closed.value}`);

      const { refusal } = closed;
      // Requests booked for the day, and no material out: warn, and offer to close it anyway,
      // listing what the closure would cancel.
      if (refusal.code === 'CLOSURE_HAS_REQUESTS' && !force && (await requestsOn(db, date, outStatuses)).length === 0) {
        const booked = await requestsOn(db, date, cancelledByClosure);
        if (booked.length > 0) {
          const names = new Map<number | null, string>();
          for (const row of booked) names.set(row.researcherId, (await findUser(db, row.researcherId))?.name ?? `Researcher ${row.researcherId}`);
          return page(
            request,
            reply,
            'admin-close-confirm',
            {
              title: `Close ${readableDate(date)}?`,
              date,
              reason,
              booked: booked.map((row) => ({
                id: row.id,
                containerLabel: row.containerLabel,
                callNumber: row.callNumber,
                status: deskStatus(row.status),
                researcher: names.get(row.researcherId),
              })),
              researcherCount: names.size,
            },
            409,
          );
        }
      }
      return renderHub(request, reply, { problem: refusal.message, closeForm }, refusal.statusCode);
    },
  );

  app.post(
    '/admin/closures/:date/reopen',
    {
      config: access,
      preHandler: app.csrfProtection,
      schema: { ...hidden, params: Type.Object({ date: IsoDateSchema }), body: FormBody({}) },
    },
    async (request, reply) => {
      const { date } = request.params;
      const reopened = await attempt(() => reopenDay(requests, date, null));
      if (!reopened.ok) return renderHub(request, reply, { problem: reopened.refusal.message }, reopened.refusal.statusCode);
      return seeOther(reply, config, `/admin?done=reopened&date=${date}`);
    },
  );

  // Staff accounts.

  app.post(
    '/admin/users',
    {
      config: access,
      preHandler: app.csrfProtection,
      schema: {
        ...hidden,
        body: FormBody({ email: FormText, name: FormText, password: FormText, role: FormText }),
      },
    },
    async (request, reply) => {
      const { email, name, password, role } = request.body;
      const accountForm = { email: email.trim(), name: name.trim(), role };
      const problem = accountProblem({ email: accountForm.email, name: accountForm.name, password, role });
      if (problem || !isStaffRole(role)) return renderHub(request, reply, { problem: problem ?? 'Choose a role.', accountForm }, 400);
      const created = await attempt(() =>
        createAccount(accountsCtx, { email: accountForm.email, name: accountForm.name, password, role }, accountOf(request).id, originOf(request, clock)),
      );
      if (!created.ok) return renderHub(request, reply, { problem: created.refusal.message, accountForm }, created.refusal.statusCode);
      return seeOther(reply, config, `/admin?done=created&user=${created.value.id}`);
    },
  );

  /** An admin changing their own role or access here would lock themselves out mid-page. */
  const notSelf = (request: FastifyRequest, reply: FastifyReply, userId: number) =>
    userId === accountOf(request).id
      ? renderHub(request, reply, { problem: 'You cannot change your own role or disable your own account; ask another admin.' }, 400)
      : undefined;

  app.post(
    '/admin/users/:userId/role',
    {
      config: access,
      preHandler: app.csrfProtection,
      schema: { ...hidden, params: Type.Object({ userId: IdSchema }), body: FormBody({ role: FormText }) },
    },
    async (request, reply) => {
      const { userId } = request.params;
      const { role } = request.body;
      const refusedSelf = notSelf(request, reply, userId);
      if (refusedSelf) return refusedSelf;
      if (!isStaffRole(role)) return renderHub(request, reply, { problem: 'Choose staff, curator or admin.' }, 400);
      const updated = await attempt(() => updateAccount(accountsCtx, userId, { role }, accountOf(request).id, originOf(request, clock)));
      if (!updated.ok) return renderHub(request, reply, { problem: updated.refusal.message }, updated.refusal.statusCode);
      return seeOther(reply, config, `/admin?done=role&user=${userId}`);
    },
  );

  app.post(
    '/admin/users/:userId/access',
    {
      config: access,
      preHandler: app.csrfProtection,
      schema: { ...hidden, params: Type.Object({ userId: IdSchema }), body: FormBody({ disabled: FormText }) },
    },
    async (request, reply) => {
      const { userId } = request.params;
      const { disabled } = request.body;
      const refusedSelf = notSelf(request, reply, userId);
      if (refusedSelf) return refusedSelf;
      if (disabled !== 'true' && disabled !== 'false') return renderHub(request, reply, { problem: 'Choose to disable or to enable the account.' }, 400);
      const updated = await attempt(() =>
        updateAccount(accountsCtx, userId, { disabled: disabled === 'true' }, accountOf(request).id, originOf(request, clock)),
      );
      if (!updated.ok) return renderHub(request, reply, { problem: updated.refusal.message }, updated.refusal.statusCode);
      return seeOther(reply, config, `/admin?done=${disabled === 'true' ? 'disabled' : 'enabled'}&user=${userId}`);
    },
  );
};

/** What the users API's schema would refuse, said to a person. */
function accountProblem(form: { email: string; name: string; password: string; role: string }): string | undefined {
  const problem = emailProblem(form.email) ?? (!form.name || form.name.length > 200 ? 'Give the person’s name (up to 200 characters).' : undefined);
  if (problem) return problem;
  const weak = passwordProblem(form.password);
  if (weak) return weak;
  if (!isStaffRole(form.role)) return 'Choose staff, curator or admin.';
  return undefined;
}
