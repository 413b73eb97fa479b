import type { Database } from '../../db/client.ts';
import type { SurrogateKind } from '../../db/tables.ts';
import type { IsoDate } from '../domain/calendar.ts';
import { restrictedOn } from '../domain/restrictions.ts';
import { wantedContainers } from '../domain/wanted-containers.ts';
import { wantedComponents } from '../finding-aids/wanted.ts';
import { containerDetails } from '../requests/store.ts';
import { surrogateWords } from '../wording.ts';
import { attempt } from './kit.ts';

// Surrogate first: before a researcher asks for a restricted original that has a surrogate (a
// reference copy, microfilm, a digital copy), the page offers the surrogate and asks why the
// original is needed. The boxes are worked out as the submission will (src/requests/submit.ts).

export interface SurrogateOffer {
  id: number;
  label: string;
  restrictionNote: string | null;
  /** "Reference copy", "Microfilm", "Digital copy". */
  kind: string;
  note: string | null;
  /** A web address (the API takes no other). */
  url: string | null;
}

/** A container's surrogate as the pages say it. */
export function surrogateView(surrogate: { kind: SurrogateKind; note: string | null; url: string | null } | null) {
  return surrogate ? { ...surrogate, kind: surrogateWords[surrogate.kind] } : null;
}

/**
 * The wanted boxes that are restricted on the visit date and have a surrogate. A choice the
 * submission will refuse (a folder housed nowhere) offers nothing: the refusal comes from the submission.
 */
export async function surrogateOffers(db: Database, visitDate: IsoDate, containerIds: readonly number[], componentIds: readonly number[]): Promise<SurrogateOffer[]> {
  const wanted = await attempt(async () => wantedContainers(containerIds, [...(await wantedComponents(db, componentIds)).values()]).containerIds);
  if (!wanted.ok) return [];
  const details = await containerDetails(db, wanted.value);
  return wanted.value.flatMap((id) => {
    const c = details.get(id);
    if (!c?.surrogateKind || !restrictedOn({ restricted: c.restricted, until: c.restrictedUntil }, visitDate)) return [];
    const surrogate = surrogateView({ kind: c.surrogateKind, note: c.surrogateNote, url: c.surrogateUrl })!;
    return [{ id, label: c.containerLabel, restrictionNote: c.restrictionNote, ...surrogate }];
  });
}
