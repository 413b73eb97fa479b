import { findUser, type UserRow } from '../accounts/users.ts';
import type { Writer } from '../../db/transactions.ts';
import { notFound, Refusal } from '../domain/refusal.ts';
import type { Submitter } from './submit.ts';

/**
 * Who a submission is from. A researcher requests for themselves, and may name no one else nor
 * override the lead time (403); staff (an admin too) request on the behalf of an active researcher
 * they name (404 for anyone else), and may override the lead time.
 */
export async function submitterOf(db: Writer, person: UserRow, asked: { researcherId?: number | undefined; overrideLeadTime?: boolean | undefined }): Promise<Submitter> {
  if (person.role === 'researcher') {
    if (asked.researcherId !== undefined || asked.overrideLeadTime !== undefined) {
      throw new Refusal('FORBIDDEN', 'Researchers request for themselves: researcherId and overrideLeadTime are for the reading room staff.');
    }
    return { researcher: person };
  }
  if (asked.researcherId === undefined) {
    throw new Refusal('FORBIDDEN', 'Requests are made for a researcher: staff name them with researcherId.');
  }
  const researcher = await findUser(db, asked.researcherId);
  if (!researcher || researcher.role !== 'researcher' || researcher.disabledAt !== null) throw notFound(`There is no active researcher ${asked.researcherId}.`);
  return { researcher, staff: person, overrideLeadTime: asked.overrideLeadTime === true };
}
