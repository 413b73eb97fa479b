import { Type } from 'typebox';
import { IdSchema, IsoDateSchema, literals, Nullable } from '../http/schemas.ts';
import { surrogateKinds } from '../../db/tables.ts';

/** A surrogate's address: a web address (http or https, no spaces), since pages and mail make it a link. */
export const WEB_ADDRESS = '^https?://[^\\s]+$';

export const SurrogateSchema = Type.Object({
  kind: literals(surrogateKinds),
  note: Nullable(Type.String({ maxLength: 2000 })),
  url: Nullable(Type.String({ maxLength: 2000, pattern: WEB_ADDRESS })),
});

export const ContainerSchema = Type.Object({
  id: IdSchema,
  collectionId: IdSchema,
  type: Type.String({ examples: ['box', 'broadside', 'map-case'], description: 'A lower-case word' }),
  indicator: Type.String({ examples: ['23'] }),
  label: Type.String({ examples: ['Box 23', 'Broadside 1'] }),
  barcode: Nullable(Type.String()),
  location: Nullable(Type.String({ description: 'Where paging staff find it in the stacks; null until staff set it' })),
  restricted: Type.Boolean({ description: "A curator must approve requests for it (as of today in the reading room's time zone)" }),
  restrictionNote: Nullable(Type.String()),
  restrictedUntil: Nullable(IsoDateSchema),
  surrogate: Nullable(SurrogateSchema),
  withdrawn: Type.Boolean({ description: 'Gone from the finding aid: kept for the requests that name it, never requestable' }),
  available: Type.Optional(
    Type.Boolean({ description: 'Only with `date`: no scheduled, paged or delivered request holds it that day' }),
  ),
});

const collectionFields = {
  id: IdSchema,
  callNumber: Type.String({ examples: ['GEN MSS 238'] }),
  title: Type.String(),
  dates: Type.String({ examples: ['1912-1994'] }),
  bulkDates: Nullable(Type.String()),
  extent: Type.String(),
  repository: Type.String(),
  accessNote: Nullable(Type.String()),
  abstract: Nullable(Type.String()),
  componentCount: Type.Integer({ minimum: 0, description: "The finding aid's components (0 for a collection known only by its boxes)" }),
  readingRoomId: IdSchema,
  series: Type.Array(Type.Object({ id: IdSchema, title: Type.String() })),
};

/** A collection in a list: without its containers. */
export const CollectionSummarySchema = Type.Object(collectionFields);

export const CollectionSchema = Type.Object({ ...collectionFields, containers: Type.Array(ContainerSchema) });
