import type autocannon from 'autocannon';
import { RESEARCHERS, WRITE_BOXES, type Fixture } from './fixtures.ts';
import type { Load } from './http.ts';

// The loads of the HTTP scenarios that build each request anew: submissions, and a reading room's day.

/** Headers of a JSON body sent by the bearer of `token`. */
export const json = (token: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${token}` });

/**
 * The i-th submission: by the next researcher, for the next box, on the next open day. With prime
 * counts of researchers and boxes, no two requests of a day share a box, and no researcher nears
 * the daily limit, so every request is `scheduled` and answered 201.
 */
function submission(fixture: Fixture, i: number): Partial<autocannon.Request> {
  const { researcherTokens, writeDates, writeContainerIds } = fixture;
  return {
    method: 'POST',
    path: '/api/v1/requests',
    headers: json(researcherTokens[i % RESEARCHERS] as string),
    body: JSON.stringify({ visitDate: writeDates[i % writeDates.length], containerIds: [writeContainerIds[i % WRITE_BOXES]] }),
  };
}

/** POST /api/v1/requests, one submission after another. */
export function submissions(fixture: Fixture): Load {
  let n = 0;
  return { request: { method: 'POST', path: '/api/v1/requests', setupRequest: (request) => ({ ...request, ...submission(fixture, n++) }) } };
}

/** What the desk does to each box of the day, in order: every move answers 200. */
const DESK_MOVES = ['paged', 'delivered', 'returned', 'reshelved'] as const;

/**
 * A reading room's day as one load, by many researchers at once: in every 20 requests, 8 look at
 * a collection's boxes for one of the open days, 8 are researchers (each time another) reading
 * their own requests, 3 submit a request, and 1 is the desk moving a box of the pick list's day
 * on (paged, delivered, returned, reshelved: each box goes through all four, one after another,
 * so the desk has 4 × the pick list's moves before it runs out). Every write empties the read
 * cache, so this shows what the cache is worth when writes keep coming.
 */
export function readingRoomDay(fixture: Fixture): Load {
  let n = 0;
  let submitted = 0;
  let moved = 0;
  const { researcherTokens, writeDates, pickListRequestIds, staffToken } = fixture;
  return {
    request: {
      method: 'GET',
      path: '/health',
      setupRequest: (request) => {
        const i = n++;
        const slot = i % 20;
        if (slot < 8) return { ...request, method: 'GET', path: `/api/v1/collections/1/containers?date=${writeDates[i % writeDates.length]}` };
        if (slot < 16) return { ...request, method: 'GET', path: '/api/v1/requests', headers: { authorization: `Bearer ${researcherTokens[i % RESEARCHERS]}` } };
        if (slot < 19) return { ...request, ...submission(fixture, submitted++) };
        const move = moved++;
        const id = pickListRequestIds[move % pickListRequestIds.length];
        const to = DESK_MOVES[Math.floor(move / pickListRequestIds.length)];
        if (to === undefined) throw new Error(`the desk has moved every box of the day through ${DESK_MOVES.join(', ')}: run a shorter mixed.day`);
        return { ...request, method: 'POST', path: `/api/v1/requests/${id}/transition`, headers: json(staffToken), body: JSON.stringify({ to }) };
      },
    },
  };
}
