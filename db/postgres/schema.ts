import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { accountTokenPurposes, appointmentStatuses, classSessionStatuses, noteVisibilities, oneOf, requestStatuses, roles, surrogateKinds } from '../schema.ts';

// The tables of db/schema.ts on PostgreSQL: the same tables, columns, keys, indexes and checks, in
// PostgreSQL's own types, read back as the same JavaScript values (instants as Dates, flags as
// booleans, calendar dates as `YYYY-MM-DD` text). test/db/postgres-schema.test.ts holds the two to
// each other; `npm run db:generate:postgres` writes db/postgres/migrations from this file. What
// drizzle cannot say (the append-only triggers, full-text search) is in hand-written migrations there.

const id = () => integer('id').primaryKey().generatedByDefaultAsIdentity();
const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });
const createdAt = () => instant('created_at').notNull().defaultNow();

export const readingRooms = pgTable(
  'reading_rooms',
  {
    id: id(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    timezone: text('timezone').notNull(),
    seats: integer('seats'),
    leadBusinessDays: integer('lead_business_days').notNull().default(2),
    dailyItemLimit: integer('daily_item_limit').notNull().default(10),
    maxAdvanceDays: integer('max_advance_days').notNull().default(90),
    holdBusinessDays: integer('hold_business_days').notNull().default(5),
    classLeadBusinessDays: integer('class_lead_business_days').notNull().default(5),
    classItemLimit: integer('class_item_limit').notNull().default(15),
    pagingTimes: text('paging_times').notNull().default('09:00,14:00'),
    closingTime: text('closing_time').notNull().default('17:00'),
    settingsSeededAt: instant('settings_seeded_at'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('reading_rooms_code').on(sql`lower(${t.code})`), check('reading_rooms_seats', sql`${t.seats} is null or ${t.seats} >= 0`)],
);

export const collections = pgTable('collections', {
  id: id(),
  callNumber: text('call_number').notNull().unique(),
  title: text('title').notNull(),
  dates: text('dates').notNull(),
  bulkDates: text('bulk_dates'),
  extent: text('extent').notNull(),
  repository: text('repository').notNull(),
  accessNote: text('access_note'),
  abstract: text('abstract'),
  eadId: text('ead_id'),
  componentCount: integer('component_count').notNull().default(0),
  readingRoomId: integer('reading_room_id')
    .notNull()
    .default(1)
    .references(() => readingRooms.id),
  importedAt: instant('imported_at'),
  createdAt: createdAt(),
});

export const series = pgTable(
  'series',
  {
    id: id(),
    collectionId: integer('collection_id')
      .notNull()
      .references(() => collections.id),
    position: integer('position').notNull(),
    title: text('title').notNull(),
  },
  (t) => [uniqueIndex('series_collection_position').on(t.collectionId, t.position)],
);

export const containers = pgTable(
  'containers',
  {
    id: id(),
    collectionId: integer('collection_id')
      .notNull()
      .references(() => collections.id),
    type: text('type').notNull(),
    indicator: text('indicator').notNull(),
    label: text('label').notNull(),
    eadBarcode: text('ead_barcode'),
    staffBarcode: text('staff_barcode'),
    location: text('location'),
    restricted: boolean('restricted').notNull().default(false),
    restrictedUntil: text('restricted_until'),
    restrictionNote: text('restriction_note'),
    restrictionByCurator: boolean('restriction_by_curator').notNull().default(false),
    surrogateKind: text('surrogate_kind', { enum: surrogateKinds }),
    surrogateNote: text('surrogate_note'),
    surrogateUrl: text('surrogate_url'),
    withdrawn: boolean('withdrawn').notNull().default(false),
    position: integer('position').notNull(),
  },
  (t) => [
    uniqueIndex('containers_identity').on(t.collectionId, t.type, t.indicator, sql`coalesce(${t.eadBarcode}, '')`),
    index('containers_collection_position').on(t.collectionId, t.position),
    check('containers_type', sql`${t.type} <> '' and ${t.type} = lower(${t.type})`),
    check('containers_restriction_note', sql`${t.restricted} or ${t.restrictionNote} is null`),
    check('containers_surrogate', sql`${t.surrogateKind} is not null or (${t.surrogateNote} is null and ${t.surrogateUrl} is null)`),
    check('containers_surrogate_kind', sql`${t.surrogateKind} is null or ${oneOf(t.surrogateKind, surrogateKinds)}`),
  ],
);

export const components = pgTable(
  'components',
  {
    id: id(),
    collectionId: integer('collection_id')
      .notNull()
      .references(() => collections.id),
    parentId: integer('parent_id'),
    position: integer('position').notNull(),
    refId: text('ref_id'),
    level: text('level'),
    title: text('title').notNull(),
    dates: text('dates'),
    accessNote: text('access_note'),
    childCount: integer('child_count').notNull().default(0),
  },
  (t) => [index('components_children').on(t.collectionId, t.parentId, t.position)],
);

export const componentContainers = pgTable(
  'component_containers',
  {
    componentId: integer('component_id')
      .notNull()
      .references(() => components.id, { onDelete: 'cascade' }),
    containerId: integer('container_id')
      .notNull()
      .references(() => containers.id),
    position: integer('position').notNull(),
    folder: text('folder'),
  },
  (t) => [primaryKey({ columns: [t.componentId, t.position] }), index('component_containers_container').on(t.containerId)],
);

export const closures = pgTable(
  'closures',
  {
    id: id(),
    date: text('date').notNull(),
    readingRoomId: integer('reading_room_id').references(() => readingRooms.id),
    reason: text('reason').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('closures_date_room').on(t.date, sql`coalesce(${t.readingRoomId}, 0)`)],
);

export const holidaySeedings = pgTable('holiday_seedings', {
  year: integer('year').primaryKey(),
  createdAt: createdAt(),
});

export const outbox = pgTable(
  'outbox',
  {
    id: id(),
    queue: text('queue').notNull(),
    jobName: text('job_name').notNull(),
    payload: jsonb('payload').notNull(),
    createdAt: createdAt(),
    key: text('key'),
    dispatchedAt: instant('dispatched_at'),
    dispatchCount: integer('dispatch_count').notNull().default(0),
    completedAt: instant('completed_at'),
    outcome: text('outcome'),
    notTaken: text('not_taken'),
  },
  (t) => [index('outbox_pending').on(t.createdAt).where(sql`${t.completedAt} is null`)],
);

export const installation = pgTable(
  'installation',
  {
    id: text('id').primaryKey(),
    createdAt: createdAt(),
  },
  (t) => [check('installation_id', sql`${t.id} ~ '^[0-9a-f]{12}$'`)],
);

export const catalogue = pgTable(
  'catalogue',
  {
    id: integer('id').primaryKey(),
    version: integer('version').notNull().default(0),
  },
  (t) => [check('catalogue_one_row', sql`${t.id} = 1`)],
);

export const users = pgTable(
  'users',
  {
    id: id(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role', { enum: roles }).notNull().default('researcher'),
    affiliation: text('affiliation'),
    researchTopic: text('research_topic'),
    passwordHash: text('password_hash').notNull(),
    emailVerifiedAt: instant('email_verified_at'),
    identityVerifiedAt: instant('identity_verified_at'),
    identityVerifiedBy: integer('identity_verified_by'),
    identityDocumentType: text('identity_document_type'),
    disabledAt: instant('disabled_at'),
    tokenVersion: integer('token_version').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_email').on(sql`lower(${t.email})`), check('users_role', oneOf(t.role, roles))],
);

export const appointments = pgTable(
  'appointments',
  {
    id: id(),
    researcherId: integer('researcher_id')
      .notNull()
      .references(() => users.id),
    readingRoomId: integer('reading_room_id')
      .notNull()
      .references(() => readingRooms.id),
    date: text('date').notNull(),
    status: text('status', { enum: appointmentStatuses }).notNull(),
    checkedInAt: instant('checked_in_at'),
    checkedOutAt: instant('checked_out_at'),
    createdAt: createdAt(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('appointments_one_seat_each')
      .on(t.researcherId, t.readingRoomId, t.date)
      .where(oneOf(t.status, ['booked', 'attended'])),
    index('appointments_room_date').on(t.readingRoomId, t.date, t.status),
    check('appointments_status', oneOf(t.status, appointmentStatuses)),
  ],
);

export const classSessions = pgTable(
  'class_sessions',
  {
    id: id(),
    readingRoomId: integer('reading_room_id')
      .notNull()
      .references(() => readingRooms.id),
    date: text('date').notNull(),
    startTime: text('start_time').notNull(),
    endTime: text('end_time').notNull(),
    title: text('title').notNull(),
    instructorName: text('instructor_name').notNull(),
    instructorEmail: text('instructor_email').notNull(),
    headcount: integer('headcount').notNull(),
    status: text('status', { enum: classSessionStatuses }).notNull(),
    bookedBy: integer('booked_by')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [index('class_sessions_date').on(t.date, t.readingRoomId), check('class_sessions_status', oneOf(t.status, classSessionStatuses))],
);

export const requests = pgTable(
  'requests',
  {
    id: id(),
    researcherId: integer('researcher_id').references(() => users.id),
    classSessionId: integer('class_session_id').references(() => classSessions.id),
    containerId: integer('container_id')
      .notNull()
      .references(() => containers.id),
    visitDate: text('visit_date').notNull(),
    readingRoomId: integer('reading_room_id')
      .notNull()
      .references(() => readingRooms.id),
    appointmentId: integer('appointment_id').references(() => appointments.id),
    status: text('status', { enum: requestStatuses }).notNull(),
    holdUntil: text('hold_until'),
    note: text('note'),
    decisionNote: text('decision_note'),
    originalReason: text('original_reason'),
    waitlistedAt: instant('waitlisted_at'),
    createdAt: createdAt(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('requests_one_holder')
      .on(t.containerId, t.visitDate)
      .where(oneOf(t.status, ['scheduled', 'paged', 'delivered'])),
    index('requests_visit_date_status').on(t.visitDate, t.status),
    index('requests_researcher_visit_date').on(t.researcherId, t.visitDate),
    index('requests_container').on(t.containerId, t.visitDate),
    index('requests_appointment').on(t.appointmentId),
    index('requests_held').on(t.containerId, t.holdUntil).where(sql`${t.holdUntil} is not null`),
    index('requests_class_session').on(t.classSessionId).where(sql`${t.classSessionId} is not null`),
    check('requests_status', oneOf(t.status, requestStatuses)),
    check('requests_for_one', sql`(${t.researcherId} is null) <> (${t.classSessionId} is null)`),
  ],
);

export const requestNotes = pgTable(
  'request_notes',
  {
    id: id(),
    requestId: integer('request_id')
      .notNull()
      .references(() => requests.id),
    authorId: integer('author_id')
      .notNull()
      .references(() => users.id),
    visibility: text('visibility', { enum: noteVisibilities }).notNull(),
    text: text('text').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('request_notes_request').on(t.requestId), check('request_notes_visibility', oneOf(t.visibility, noteVisibilities))],
);

export const savedItems = pgTable(
  'saved_items',
  {
    id: id(),
    researcherId: integer('researcher_id')
      .notNull()
      .references(() => users.id),
    containerId: integer('container_id').references(() => containers.id),
    componentId: integer('component_id'),
    collectionId: integer('collection_id')
      .notNull()
      .references(() => collections.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('saved_items_container').on(t.researcherId, t.containerId).where(sql`${t.containerId} is not null`),
    uniqueIndex('saved_items_component').on(t.researcherId, t.componentId).where(sql`${t.componentId} is not null`),
    check('saved_items_one_thing', sql`(${t.containerId} is null) <> (${t.componentId} is null)`),
  ],
);

export const requestComponents = pgTable(
  'request_components',
  {
    requestId: integer('request_id')
      .notNull()
      .references(() => requests.id),
    position: integer('position').notNull(),
    componentId: integer('component_id').notNull(),
    title: text('title').notNull(),
    folder: text('folder'),
  },
  (t) => [primaryKey({ columns: [t.requestId, t.position] })],
);

export const accountTokens = pgTable(
  'account_tokens',
  {
    id: id(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    purpose: text('purpose', { enum: accountTokenPurposes }).notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    passwordHash: text('password_hash'),
    expiresAt: instant('expires_at').notNull(),
    usedAt: instant('used_at'),
    createdAt: createdAt(),
  },
  (t) => [index('account_tokens_user').on(t.userId, t.purpose), check('account_tokens_purpose', oneOf(t.purpose, accountTokenPurposes))],
);

export const securityEvents = pgTable(
  'security_events',
  {
    id: id(),
    at: instant('at').notNull(),
    kind: text('kind').notNull(),
    actorId: integer('actor_id'),
    userId: integer('user_id'),
    email: text('email'),
    ip: text('ip'),
    detail: jsonb('detail'),
  },
  (t) => [index('security_events_email_kind_at').on(t.email, t.kind, t.at), index('security_events_at').on(t.at)],
);

export const requestEvents = pgTable(
  'request_events',
  {
    id: id(),
    requestId: integer('request_id')
      .notNull()
      .references(() => requests.id),
    at: instant('at').notNull(),
    actorId: integer('actor_id').references(() => users.id),
    actorRole: text('actor_role').notNull(),
    fromStatus: text('from_status', { enum: requestStatuses }),
    toStatus: text('to_status', { enum: requestStatuses }).notNull(),
    note: text('note'),
  },
  (t) => [index('request_events_request').on(t.requestId, t.id)],
);

export const scheduledRuns = pgTable('scheduled_runs', {
  key: text('key').primaryKey(),
  at: instant('at').notNull(),
});

export const oaiHarvests = pgTable(
  'oai_harvests',
  {
    id: id(),
    url: text('url').notNull(),
    set: text('set'),
    from: text('from'),
    startedAt: instant('started_at').notNull(),
    finishedAt: instant('finished_at').notNull(),
    records: integer('records').notNull(),
    deleted: integer('deleted').notNull(),
    failures: integer('failures').notNull(),
    error: text('error'),
  },
  (t) => [index('oai_harvests_source').on(t.url, t.set, t.startedAt)],
);
