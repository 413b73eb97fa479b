import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../../db/client.ts';
import { todayIn, type Clock, type IsoDate } from '../domain/calendar.ts';
import { defaultReportRange, reportGroupings, reportRangeRefusal, type ReportGrouping } from '../domain/reports.ts';
import { errorResponses, IdSchema, IsoDateSchema, literals, Nullable } from '../http/schemas.ts';
import { allRooms, roomOrFirst } from '../reading-rooms/store.ts';
import { serviceReport } from './service.ts';
import { usageRows, type UsageQuery } from './usage.ts';
import { usageCsv, wantsCsv } from './csv.ts';

const tags = ['reports'];
const security = [{ bearerAuth: [] }];

const RangeQuery = {
  from: Type.Optional(IsoDateSchema),
  to: Type.Optional(IsoDateSchema),
  readingRoomId: Type.Optional(IdSchema),
};

const UsageRowSchema = Type.Object({
  key: Type.Union([Type.Integer(), Type.String()], { description: 'A collection, container or room id, or a month YYYY-MM' }),
  label: Type.String(),
  requests: Type.Integer(),
  uses: Type.Integer({ description: 'Requests delivered at least once' }),
  researchers: Type.Integer({ description: 'Distinct researchers among the requests' }),
  noShows: Type.Integer(),
  cancelled: Type.Integer(),
  denied: Type.Integer(),
});

export const reportRoutes: FastifyPluginAsyncTypebox<{ db: Database; clock: Clock }> = async (app, { db, clock }) => {
  /** The asked range (the last twelve months by default, in the first room's days), checked. */
  async function rangeOf(query: { from?: IsoDate | undefined; to?: IsoDate | undefined }) {
    const fallback = defaultReportRange(todayIn((await roomOrFirst(db, undefined)).timezone, clock()));
    const range = { from: query.from ?? fallback.from, to: query.to ?? fallback.to };
    const refusal = reportRangeRefusal(range.from, range.to);
    if (refusal) throw refusal;
    return range;
  }

  app.get(
    '/api/v1/reports/usage',
    {
      config: { access: ['curator'] },
      schema: {
        tags,
        security,
        summary: 'How the collections were used: requests, uses, researchers, no-shows, cancellations and denials, grouped',
        description:
          'About the requests whose visit date is from `from` to `to` (both included; at most 1,100 days; by default the last twelve months), grouped by `collection`, `container`, `month` or `readingRoom` (default `month`), in key order. With `Accept: text/csv`, the same rows as CSV (RFC 4180, formulas neutralised), streamed.',
        querystring: Type.Object({ ...RangeQuery, groupBy: Type.Optional(literals(reportGroupings)) }),
        produces: ['application/json', 'text/csv'],
        response: {
          200: Type.Object({ from: IsoDateSchema, to: IsoDateSchema, groupBy: literals(reportGroupings), rows: Type.Array(UsageRowSchema) }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const groupBy: ReportGrouping = request.query.groupBy ?? 'month';
      const { readingRoomId } = request.query;
      if (readingRoomId !== undefined) await roomOrFirst(db, readingRoomId);
      const query: UsageQuery = { ...(await rangeOf(request.query)), readingRoomId, groupBy };
      if (!wantsCsv(request.headers.accept)) {
        return { from: query.from, to: query.to, groupBy, rows: await usageRows(db, query) };
      }
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="usage-${groupBy}-${query.from}-${query.to}.csv"`)
        // A stream, which the JSON response schema does not describe (nor serialise).
        .send(usageCsv(db, query) as never);
    },
  );

  app.get(
    '/api/v1/reports/service',
    {
      config: { access: ['curator'] },
      schema: {
        tags,
        security,
        summary: 'How the reading rooms served their visits: attended visits, no-show rate, seats used, minutes to the first delivery, hold days',
        querystring: Type.Object(RangeQuery),
        response: {
          200: Type.Object({
            visits: Type.Integer({ description: 'Appointments attended' }),
            noShowRate: Nullable(Type.Number(), { description: 'No-shows over attended and no-show appointments' }),
            seatsUsed: Nullable(Type.Number(), { description: 'Attended over seats times open days; null when a room has unlimited seats' }),
            medianMinutesToDeliver: Nullable(Type.Number(), { description: "From check-in to the visit's first delivery that day" }),
            holdDays: Type.Integer({ description: 'Business days boxes were kept on hold, summed over holds' }),
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const range = await rangeOf(request.query);
      const rooms = request.query.readingRoomId === undefined ? await allRooms(db) : [await roomOrFirst(db, request.query.readingRoomId)];
      return serviceReport(db, rooms, range.from, range.to);
    },
  );
};
