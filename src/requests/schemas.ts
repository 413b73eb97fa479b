import { Type, type Static } from 'typebox';
import { requestStatuses } from '../../db/tables.ts';
import { staffTargets } from '../domain/request-status.ts';
import { IdSchema, IsoDateSchema, literals, Nullable } from '../http/schemas.ts';

export const StatusSchema = literals(requestStatuses);
export const StaffTargetSchema = literals(staffTargets);
export const NoteSchema = Type.String({ minLength: 1, maxLength: 2000 });

/** A folder or series a request asks for in its container, as it was when asked for. */
export const ComponentInRequestSchema = Type.Object({
  id: IdSchema,
  title: Type.String(),
  folder: Type.Union([Type.String(), Type.Null()], { examples: ['Folder 3'] }),
});

export const RequestSchema = Type.Object({
  id: IdSchema,
  researcherId: Nullable(IdSchema, { description: "Null for a class session's request" }),
  classSessionId: Nullable(IdSchema, { description: 'The class session it is for, or null' }),
  containerId: IdSchema,
  collectionId: IdSchema,
  callNumber: Type.String(),
  containerLabel: Type.String(),
  visitDate: IsoDateSchema,
  readingRoomId: IdSchema,
  appointmentId: Type.Union([IdSchema, Type.Null()], { description: 'The visit it belongs to' }),
  status: StatusSchema,
  holdUntil: Type.Union([IsoDateSchema, Type.Null()], { description: 'The last day a hold keeps the box at the desk' }),
  restricted: Type.Boolean({ description: 'A curator must approve it' }),
  restrictionNote: Type.Union([Type.String(), Type.Null()], { description: 'Why approval is needed' }),
  components: Type.Array(ComponentInRequestSchema, { description: 'The folders and series wanted in the container (empty when the whole container was asked for)' }),
  note: Type.Union([Type.String(), Type.Null()]),
  originalReason: Type.Union([Type.String(), Type.Null()], { description: 'Why the original of a restricted container with a surrogate is needed' }),
  decisionNote: Type.Union([Type.String(), Type.Null()], { description: "The curator's note or reason" }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const EventSchema = Type.Object({
  at: Type.String({ format: 'date-time' }),
  actorId: Type.Union([IdSchema, Type.Null()], { description: 'Null for the system' }),
  actorRole: Type.String({ examples: ['researcher', 'staff', 'curator', 'admin', 'system'] }),
  from: Type.Union([StatusSchema, Type.Null()]),
  to: StatusSchema,
  note: Type.Union([Type.String(), Type.Null()]),
});

/** A row of a staff list (the pick list, boxes still out): which box, where it is, for whom. The one shape of it, in the API, mail, pages and call slips. */
export const PickItemSchema = Type.Object({
  requestId: IdSchema,
  status: StatusSchema,
  callNumber: Type.String(),
  collectionTitle: Type.String(),
  containerLabel: Type.String(),
  location: Type.Union([Type.String(), Type.Null()], { description: 'Null until staff record where it is shelved' }),
  components: Type.Array(ComponentInRequestSchema, { description: 'The folders wanted in the box' }),
  researcher: Nullable(Type.Object({ id: IdSchema, name: Type.String() }), { description: "Null for a class session's box" }),
  classSession: Nullable(Type.Object({ id: IdSchema, title: Type.String() }), { description: 'The class the box is for, or null' }),
});

export type PickItem = Static<typeof PickItemSchema>;

export const CustodySchema = Type.Object({
  at: Type.String({ format: 'date-time' }),
  requestId: IdSchema,
  researcherId: Nullable(IdSchema, { description: "Null for a class session's request" }),
  classSessionId: Nullable(IdSchema),
  actorId: Type.Union([IdSchema, Type.Null()]),
  from: Type.Union([StatusSchema, Type.Null()]),
  to: StatusSchema,
});
