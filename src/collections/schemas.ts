import { Type } from 'typebox';
import { IdSchema } from '../http/schemas.ts';

export const ContainerSchema = Type.Object({
  id: IdSchema,
  collectionId: IdSchema,
  type: Type.Union([Type.Literal('box'), Type.Literal('broadside')]),
  indicator: Type.String({ examples: ['23'] }),
  label: Type.String({ examples: ['Box 23', 'Broadside'] }),
  location: Type.String({ description: 'Where paging staff find it in the stacks' }),
  restricted: Type.Boolean({ description: 'A curator must approve requests for it' }),
  restrictionNote: Type.Union([Type.String(), Type.Null()]),
  available: Type.Optional(
    Type.Boolean({ description: 'Only with `date`: no scheduled, paged or delivered request holds it that day' }),
  ),
});

export const CollectionSchema = Type.Object({
  id: IdSchema,
  callNumber: Type.String({ examples: ['GEN MSS 238'] }),
  title: Type.String(),
  dates: Type.String({ examples: ['1912-1994'] }),
  bulkDates: Type.Union([Type.String(), Type.Null()]),
  extent: Type.String(),
  repository: Type.String(),
  accessNote: Type.Union([Type.String(), Type.Null()]),
  series: Type.Array(Type.Object({ id: IdSchema, title: Type.String() })),
  containers: Type.Array(ContainerSchema),
});
