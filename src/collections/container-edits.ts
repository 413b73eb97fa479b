import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { containers, type Role, type SurrogateKind } from '../../db/tables.ts';
import { commit } from '../../db/transactions.ts';
import { catalogueChanged } from '../caches.ts';
import { notFound, Refusal } from '../domain/refusal.ts';
import { restrictedOn } from '../domain/restrictions.ts';
import type { IsoDate } from '../domain/calendar.ts';
import { containerColumns, type ContainerRow } from './store.ts';

/** What staff and curators may change of a container; a field left out stays as it is. */
export interface ContainerEdit {
  restricted?: boolean | undefined;
  restrictionNote?: string | null | undefined;
  surrogate?: { kind: SurrogateKind; note: string | null; url: string | null } | null | undefined;
  location?: string | null | undefined;
  barcode?: string | null | undefined;
}

/** Who may change which field: curators the restriction and surrogate, staff where it is and its barcode. */
const editableBy: Record<keyof ContainerEdit, readonly Role[]> = {
  restricted: ['curator', 'admin'],
  restrictionNote: ['curator', 'admin'],
  surrogate: ['curator', 'admin'],
  location: ['staff', 'admin'],
  barcode: ['staff', 'admin'],
};

/** Whether a role may change a field: the rule editContainer enforces, for pages to offer only what it allows. */
export const mayChange = (role: Role, field: keyof ContainerEdit): boolean => editableBy[field].includes(role);

export const CURATOR_RESTRICTION = 'Restricted by the curator.';

/**
 * A curator's or staff member's change to a container, kept across imports (the import never
 * writes a location, a staff barcode or a surrogate, nor a restriction a curator decided). A
 * restriction decided here has no end, and requests already made keep their status.
 */
export function editContainer(db: Database, id: number, edit: ContainerEdit, role: Role, today: IsoDate): Promise<ContainerRow> {
  const refused = (Object.keys(edit) as (keyof ContainerEdit)[]).filter((f) => edit[f] !== undefined && !mayChange(role, f));
  if (refused.length > 0) throw new Refusal('FORBIDDEN', `A ${role} may not change ${refused.join(', ')} of a container.`);
  return commit(db, async (tx) => {
    const [current] = await tx.select(containerColumns).from(containers).where(eq(containers.id, id));
    if (!current) throw notFound(`There is no container ${id}.`);
    const changes: Partial<typeof containers.$inferInsert> = {};
    if (edit.restricted !== undefined || edit.restrictionNote !== undefined) {
      const restricted = edit.restricted ?? restrictedOn({ restricted: current.restricted, until: current.restrictedUntil }, today);
      Object.assign(changes, {
        restricted,
        restrictedUntil: null,
        restrictionNote: restricted ? (edit.restrictionNote ?? (current.restricted ? current.restrictionNote : null) ?? CURATOR_RESTRICTION) : null,
        restrictionByCurator: true,
      });
    }
    if (edit.surrogate !== undefined) {
      Object.assign(changes, { surrogateKind: edit.surrogate?.kind ?? null, surrogateNote: edit.surrogate?.note ?? null, surrogateUrl: edit.surrogate?.url ?? null });
    }
    if (edit.location !== undefined) changes.location = edit.location;
    if (edit.barcode !== undefined) changes.staffBarcode = edit.barcode;
    if (Object.keys(changes).length === 0) return current;
    await catalogueChanged(tx);
    const [changed] = await tx.update(containers).set(changes).where(eq(containers.id, id)).returning(containerColumns);
    return changed as ContainerRow;
  });
}
