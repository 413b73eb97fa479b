/**
 * The ids the reading room gives (people, requests, boxes, everything) run from 1 to 2,147,483,647:
 * PostgreSQL's `integer`, the narrower of the two engines. A number past it names nothing on either
 * engine, and PostgreSQL would refuse to compare a column with it; so the API takes no such id, a
 * token never names one, and a cursor past the last id is a cursor past the last id.
 */
export const LARGEST_ID = 2_147_483_647;

/** Whether `n` can be an id. */
export const isId = (n: number): boolean => Number.isSafeInteger(n) && n >= 1 && n <= LARGEST_ID;
