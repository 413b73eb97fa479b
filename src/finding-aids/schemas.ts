import { Type } from 'typebox';
import { IdSchema, Nullable } from '../http/schemas.ts';
import { CollectionSummarySchema } from '../collections/schemas.ts';

export const HousingSchema = Type.Object({
  containerId: IdSchema,
  label: Type.String({ examples: ['Box 3'] }),
  folder: Nullable(Type.String({ examples: ['Folder 1-4'] })),
  inherited: Type.Boolean({ description: "The nearest ancestor's container: the component has none of its own" }),
});

const componentFields = {
  id: IdSchema,
  collectionId: IdSchema,
  parentId: Nullable(IdSchema),
  refId: Nullable(Type.String({ description: "The EAD `id` attribute: the component keeps its id across imports while this is unchanged" })),
  level: Nullable(Type.String({ examples: ['series', 'subseries', 'file'] })),
  title: Type.String(),
  dates: Nullable(Type.String()),
  accessNote: Nullable(Type.String()),
  containers: Type.Array(HousingSchema),
  childCount: Type.Integer({ minimum: 0 }),
};

export const ComponentSchema = Type.Object(componentFields);

export const ComponentWithAncestorsSchema = Type.Object({
  ...componentFields,
  ancestors: Type.Array(Type.Object({ id: IdSchema, title: Type.String(), level: Nullable(Type.String()) }), { description: 'Top first' }),
});

export const ImportResultSchema = Type.Object({
  collection: CollectionSummarySchema,
  created: Type.Boolean(),
  components: Type.Integer({ minimum: 0 }),
  containers: Type.Object({
    added: Type.Integer({ minimum: 0, description: 'New to the collection' }),
    updated: Type.Integer({ minimum: 0, description: 'Label, restriction or withdrawn state changed' }),
    unchanged: Type.Integer({ minimum: 0 }),
    withdrawn: Type.Integer({ minimum: 0, description: 'Newly gone from the finding aid: kept, never requestable' }),
  }),
  restricted: Type.Integer({ minimum: 0, description: 'Containers restricted today' }),
  restrictionTexts: Type.Array(
    Type.Object({
      text: Type.String(),
      reading: Type.String({ examples: ['open', 'restricted', 'until 2067-01-01'] }),
      components: Type.Integer({ minimum: 1 }),
    }),
  ),
  warnings: Type.Array(Type.String()),
});

export const SearchHitSchema = Type.Object({
  collectionId: IdSchema,
  callNumber: Type.String(),
  collectionTitle: Type.String(),
  componentId: Nullable(IdSchema),
  title: Type.String(),
  dates: Nullable(Type.String()),
  containers: Type.Array(Type.String({ examples: ['Box 3'] }), {
    description: "Labels of the component's containers (its own, else its nearest ancestor's); none for a collection's own hit",
  }),
  snippet: Type.String({ description: 'HTML: the matched words wrapped whole in `<mark>`, the rest escaped', examples: ['Letters from <mark>Trotsky</mark>'] }),
});
