import type { MailContainer } from '../mail/catalogue.ts';
import type { RequestRow } from './store.ts';

/** A request as a mail lists it. */
export function mailContainer(row: RequestRow): MailContainer {
  return {
    requestId: row.id,
    callNumber: row.callNumber,
    collectionTitle: row.collectionTitle,
    containerLabel: row.containerLabel,
    status: row.status,
    restricted: row.restricted,
    restrictionNote: row.restrictionNote,
  };
}
