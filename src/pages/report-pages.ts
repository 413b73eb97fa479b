import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { todayIn, type IsoDate } from '../domain/calendar.ts';
import type { ReadingRoom } from '../domain/reading-rooms.ts';
import { defaultReportRange, reportGroupings, reportRangeRefusal, type ReportGrouping } from '../domain/reports.ts';
import { literals } from '../http/schemas.ts';
import { pagePaths, type ReportView } from '../links.ts';
import { allRooms } from '../reading-rooms/store.ts';
import { usageCsv } from '../reports/csv.ts';
import { serviceReport, type ServiceReport } from '../reports/service.ts';
import { usageRows, type UsageQuery } from '../reports/usage.ts';
import { readableDate, readableMessage } from '../wording.ts';
import { hidden, idOf, IdText, isIsoDate } from './form.ts';
import { notFoundPage, pageRenderer, type PageOptions } from './kit.ts';
import { noShowsPerMonth, topCollections, usesPerMonth } from './report-charts.ts';

// The curators' reports (docs/reports.md, docs/pages.md): the API's figures of a range, in one room
// or all, as a page people read at a glance: the service figures, three charts drawn on the server
// (src/pages/report-charts.ts), each with its table, and the usage rows as CSV, one link a grouping.
// The range is a GET form; a range the reports refuse comes back on the page with the form as typed.

const curators = { access: ['curator'] as const };

/** A date as typed: a cleared date field sends an empty one, which means the default. */
const DateText = Type.String({ maxLength: 20 });

/** The filter as typed. */
const ReportQuery = {
  from: Type.Optional(DateText),
  to: Type.Optional(DateText),
  room: Type.Optional(IdText),
};

interface ReportForm {
  from: string;
  to: string;
  room: string;
}

/** How the CSV links name their groupings. */
const groupingWords: Record<ReportGrouping, string> = {
  month: 'Usage by month',
  collection: 'Usage by collection',
  container: 'Usage by container',
  readingRoom: 'Usage by reading room',
};

type Read = { ok: true; range: { from: IsoDate; to: IsoDate }; room: ReadingRoom | undefined; form: ReportForm } | { ok: false; status: number; problem: string; form: ReportForm; missingRoom?: number };

const percent = new Intl.NumberFormat('en-GB', { style: 'percent', maximumFractionDigits: 1 });
const counted = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The service figures in words (docs/reports.md, "Service"), for the page's definition list. */
function serviceFacts(service: ServiceReport, rooms: readonly ReadingRoom[]): { term: string; value: string }[] {
  const unlimited = rooms.some((r) => r.seats === null);
  return [
    { term: 'Visits', value: counted(service.visits, 'appointment attended', 'appointments attended') },
    { term: 'No-show rate', value: service.noShowRate === null ? 'No visits due' : `${percent.format(service.noShowRate)} of the appointments due` },
    { term: 'Seats used', value: service.seatsUsed !== null ? `${percent.format(service.seatsUsed)} of the seats of the open days` : unlimited ? 'Not counted: unlimited seats' : 'No open days' },
    {
      term: 'Minutes to deliver',
      value: service.medianMinutesToDeliver === null ? 'No delivery after a check-in' : `${counted(service.medianMinutesToDeliver, 'minute', 'minutes')} from check-in to the first box (the median)`,
    },
    { term: 'Hold days', value: service.holdDays === 0 ? 'No box kept on the hold shelf' : `${counted(service.holdDays, 'business day', 'business days')} of boxes kept on the hold shelf, summed` },
  ];
}

export const reportPages: FastifyPluginAsyncTypebox<PageOptions> = async (app, { db, config, clock }) => {
  const page = pageRenderer(config, clock);
  const missing = notFoundPage(page, { href: pagePaths.reports(), label: 'Back to the reports' });

  /** The range and room asked for: the twelve months up to the room's today (the first room's for all) when no date is given. */
  async function readQuery(query: { from?: string | undefined; to?: string | undefined; room?: string | undefined }): Promise<Read> {
    const rooms = await allRooms(db);
    const typed: ReportForm = { from: query.from ?? '', to: query.to ?? '', room: query.room ?? '' };
    const roomId = typed.room === '' ? undefined : idOf(typed.room);
    if (typed.room !== '' && roomId === undefined) return { ok: false, status: 400, problem: 'Choose a reading room from the list.', form: typed };
    const room = roomId === undefined ? undefined : rooms.find((r) => r.id === roomId);
    if (roomId !== undefined && !room) return { ok: false, status: 404, problem: `There is no reading room ${roomId}.`, form: typed, missingRoom: roomId };
    const fallback = defaultReportRange(todayIn((room ?? rooms[0])?.timezone ?? config.timezone, clock()));
    const from = typed.from === '' ? fallback.from : typed.from;
    const to = typed.to === '' ? fallback.to : typed.to;
    const form = { ...typed, from, to };
    if (!isIsoDate(from)) return { ok: false, status: 400, problem: 'Give the first day as a date, such as 2026-11-30.', form };
    if (!isIsoDate(to)) return { ok: false, status: 400, problem: 'Give the last day as a date, such as 2027-01-31.', form };
    const refusal = reportRangeRefusal(from, to);
    if (refusal) return { ok: false, status: 400, problem: readableMessage(refusal.message), form };
    return { ok: true, range: { from, to }, room, form };
  }

  const roomChoice = async (form: ReportForm) => (await allRooms(db)).map((r) => ({ id: r.id, name: r.name, selected: String(r.id) === form.room }));

  async function showReports(request: FastifyRequest, reply: FastifyReply, read: Read) {
    if (!read.ok) {
      if (read.missingRoom !== undefined) return missing(request, reply, 'No such reading room', read.problem);
      return page(request, reply, 'curator-reports', { title: 'Reports', wide: true, form: read.form, rooms: await roomChoice(read.form), report: null, problem: read.problem }, read.status);
    }
    const { range, room } = read;
    const rooms = room ? [room] : await allRooms(db);
    const query = (groupBy: ReportGrouping): UsageQuery => ({ ...range, readingRoomId: room?.id, groupBy });
    const months = await usageRows(db, query('month'));
    const view: ReportView = { ...range, readingRoomId: room?.id };
    const charts = months.length === 0 ? [] : await Promise.all([usesPerMonth(range.from, range.to, months), topCollections(await usageRows(db, query('collection'))), noShowsPerMonth(range.from, range.to, months)]);
    return page(request, reply, 'curator-reports', {
      title: 'Reports',
      wide: true,
      form: read.form,
      rooms: await roomChoice(read.form),
      report: {
        from: readableDate(range.from),
        to: readableDate(range.to),
        where: room ? room.name : 'every reading room',
        service: serviceFacts(await serviceReport(db, rooms, range.from, range.to), rooms),
        requests: months.reduce((sum, m) => sum + m.requests, 0),
        charts,
        downloads: (['month', 'collection', 'container', 'readingRoom'] as const).map((groupBy) => ({ href: pagePaths.reportCsv(groupBy, view), label: groupingWords[groupBy] })),
      },
    });
  }

  app.get('/reports', { config: curators, schema: { ...hidden, querystring: Type.Object(ReportQuery) } }, async (request, reply) => showReports(request, reply, await readQuery(request.query)));

  app.get(
    '/reports/usage.csv',
    { config: curators, schema: { ...hidden, querystring: Type.Object({ ...ReportQuery, groupBy: Type.Optional(literals(reportGroupings)) }) } },
    async (request, reply) => {
      const read = await readQuery(request.query);
      if (!read.ok) {
        if (read.missingRoom !== undefined) return missing(request, reply, 'No such reading room', read.problem);
        return page(request, reply, 'message', { title: 'No such report', message: read.problem, problem: true, link: { href: pagePaths.reports(), label: 'Back to the reports' } }, read.status);
      }
      const groupBy = request.query.groupBy ?? 'month';
      const { from, to } = read.range;
      const room = read.room ? `-room-${read.room.id}` : '';
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="usage-${groupBy}-${from}-${to}${room}.csv"`)
        .header('cache-control', 'no-store')
        .send(usageCsv(db, { from, to, readingRoomId: read.room?.id, groupBy }));
    },
  );
};
