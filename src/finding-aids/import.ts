import { eq, sql } from 'drizzle-orm';
import { prepared } from '../../db/statements.ts';
import type { Database } from '../../db/client.ts';
import { collections, containers } from '../../db/tables.ts';
import { commit, type Writer } from '../../db/transactions.ts';
import type { IsoDate } from '../domain/calendar.ts';
import { notFound, Refusal } from '../domain/refusal.ts';
import { findRoom } from '../reading-rooms/store.ts';
import { containerRestrictions, restrictedOn, restrictionTexts, type RestrictionText } from '../domain/restrictions.ts';
import { catalogueChanged } from '../caches.ts';
import { readFindingAid } from './ead-reader.ts';
import { containerKey, type FindingAid } from './finding-aid.ts';
import { listingOrder } from '../domain/container-identity.ts';
import { writeComponents } from './component-writes.ts';

export interface ImportResult {
  collectionId: number;
  created: boolean;
  components: number;
  containers: { added: number; updated: number; unchanged: number; withdrawn: number };
  /** Containers restricted today. */
  restricted: number;
  restrictionTexts: RestrictionText[];
  warnings: string[];
}

/**
 * Imports one EAD finding aid (docs/finding-aids.md) in one transaction: a document that fails,
 * or a process killed halfway, leaves the database as it was. The same call number is updated in
 * place: containers keep their ids (those gone from the document are kept as withdrawn), and
 * components keep theirs while their `refId` is unchanged. What staff and curators set on a
 * container (location, barcode, a curator's restriction, a surrogate) is never overwritten.
 */
/** Where an import puts the collection: a reading room (a new collection goes to the first when none is named; an update keeps its room). */
export interface ImportPlace {
  readingRoomId?: number | undefined;
}

/** A finding aid's new container: prepared once per connection (a large finding aid has hundreds), its id the insert's own. */
const insertContainer = (tx: Writer) =>
  prepared(tx, 'import.insertContainer', () =>
    tx
      .insert(containers)
      .values({
        collectionId: sql.placeholder('collectionId'),
        type: sql.placeholder('type'),
        indicator: sql.placeholder('indicator'),
        eadBarcode: sql`${sql.placeholder('eadBarcode')}`,
        label: sql.placeholder('label'),
        restricted: sql.placeholder('restricted'),
        restrictedUntil: sql`${sql.placeholder('restrictedUntil')}`,
        restrictionNote: sql`${sql.placeholder('restrictionNote')}`,
        withdrawn: sql.placeholder('withdrawn'),
        position: sql.placeholder('position'),
      })
      .returning({ id: containers.id }),
  );

export function importFindingAid(db: Database, xml: string | Buffer, today: IsoDate, place: ImportPlace = {}): Promise<ImportResult> {
  const aid = readFindingAid(xml);
  return importRead(db, aid, today, place);
}

/** The import of a finding aid already read (the command line reads its files itself, for its progress). */
export function importRead(db: Database, aid: FindingAid, today: IsoDate, { readingRoomId }: ImportPlace = {}): Promise<ImportResult> {
  // Every distinct top container of the document, in the order the collection lists them, with its restriction.
  const documentContainers = listingOrder(containerRestrictions(aid, today).map((r) => ({ ...r, ...r.container })));
  return commit(db, async (tx) => {
    const { callNumber } = aid.collection;
    const [existing] = await tx.select({ id: collections.id, eadId: collections.eadId }).from(collections).where(eq(collections.callNumber, callNumber));
    if (existing && existing.eadId !== null && existing.eadId !== aid.eadId) {
      throw new Refusal(
        'CALL_NUMBER_TAKEN',
        `The call number ${callNumber} belongs to the collection imported from the finding aid ${existing.eadId}${aid.eadId ? `, not ${aid.eadId}` : ''}.`,
      );
    }
    if (readingRoomId !== undefined && !(await findRoom(tx, readingRoomId))) throw notFound(`There is no reading room ${readingRoomId}.`);
    const fields = { ...aid.collection, eadId: aid.eadId, componentCount: aid.components.length, importedAt: new Date(), ...(readingRoomId === undefined ? {} : { readingRoomId }) };
    const collectionId = existing
      ? (await tx.update(collections).set(fields).where(eq(collections.id, existing.id)), existing.id)
      : (await tx.insert(collections).values(fields).returning({ id: collections.id }))[0]!.id;

    const counts = { added: 0, updated: 0, unchanged: 0, withdrawn: 0 };
    const before = new Map(
      (
        await tx
          .select({ id: containers.id, type: containers.type, indicator: containers.indicator, eadBarcode: containers.eadBarcode, label: containers.label, restricted: containers.restricted, restrictedUntil: containers.restrictedUntil, restrictionNote: containers.restrictionNote, restrictionByCurator: containers.restrictionByCurator, withdrawn: containers.withdrawn, position: containers.position })
          .from(containers)
          .where(eq(containers.collectionId, collectionId))
      ).map((row) => [containerKey({ type: row.type, indicator: row.indicator, barcode: row.eadBarcode }), row]),
    );
    const ids = new Map<string, number>();
    let restrictedToday = 0;
    for (const [i, { key, container: ref, restricted, until, note }] of documentContainers.entries()) {
      const found = before.get(key);
      const fromDocument = {
        label: ref.label,
        restricted,
        restrictedUntil: until,
        restrictionNote: note,
        withdrawn: false,
        position: i + 1,
      };
      if (found === undefined) {
        const row = { collectionId, type: ref.type, indicator: ref.indicator, eadBarcode: ref.barcode, ...fromDocument };
        ids.set(key, (await insertContainer(tx).first(row))!.id);
        counts.added++;
        if (restrictedOn({ restricted: row.restricted, until: row.restrictedUntil }, today)) restrictedToday++;
        continue;
      }
      ids.set(key, found.id);
      // A curator's decision stands; the finding aid's restriction is then not this import's to change.
      const wanted = found.restrictionByCurator
        ? { ...fromDocument, restricted: found.restricted, restrictedUntil: found.restrictedUntil, restrictionNote: found.restrictionNote }
        : fromDocument;
      const changed =
        found.label !== wanted.label ||
        found.restricted !== wanted.restricted ||
        found.restrictedUntil !== wanted.restrictedUntil ||
        found.restrictionNote !== wanted.restrictionNote ||
        found.withdrawn;
      if (changed || found.position !== wanted.position) await tx.update(containers).set(wanted).where(eq(containers.id, found.id));
      if (changed) counts.updated++;
      else counts.unchanged++;
      if (restrictedOn({ restricted: wanted.restricted, until: wanted.restrictedUntil }, today)) restrictedToday++;
    }
    for (const [key, row] of before) {
      if (ids.has(key) || row.withdrawn) continue;
      await tx.update(containers).set({ withdrawn: true }).where(eq(containers.id, row.id));
      counts.withdrawn++;
    }

    await writeComponents(tx, collectionId, aid, ids, existing === undefined);
    await catalogueChanged(tx);
    return {
      collectionId,
      created: existing === undefined,
      components: aid.components.length,
      containers: counts,
      restricted: restrictedToday,
      restrictionTexts: restrictionTexts(aid),
      warnings: aid.warnings,
    };
  });
}
