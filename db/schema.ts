import { sql, type Column } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// The single source of truth for the tables; `npm run db:generate` writes migrations from it.
// Ids are integers, instants are epoch milliseconds, calendar dates are `YYYY-MM-DD` text in the
// reading room's time zone. Users, requests and their events join these tables by integer ids.

/**
 * `column in ('a', 'b')` from a list of the schema's own constants (never user input). Queries use it
 * too where a partial index has it as its WHERE: SQLite uses such an index only for a query whose
 * terms imply that WHERE, which it cannot know of bound parameters.
 */
export const oneOf = (column: Column, values: readonly string[]) =>
  sql`${column} in ${sql.raw(`(${values.map((v) => `'${v}'`).join(', ')})`)}`;

const createdAt = () =>
  integer('created_at', { mode: 'timestamp_ms' })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);

/**
 * A reading room: its calendar, seats and rules (docs/reading-rooms.md). The first is made by the
 * migration that brought rooms in and takes the v1 environment's settings at the next start, once
 * (`settingsSeededAt`); afterwards its settings are its own.
 */
export const readingRooms = sqliteTable(
  'reading_rooms',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    code: text('code').notNull(),
    name: text('name').notNull(),
    timezone: text('timezone').notNull(),
    // Null: unlimited.
    seats: integer('seats'),
    leadBusinessDays: integer('lead_business_days').notNull().default(2),
    dailyItemLimit: integer('daily_item_limit').notNull().default(10),
    maxAdvanceDays: integer('max_advance_days').notNull().default(90),
    holdBusinessDays: integer('hold_business_days').notNull().default(5),
    classLeadBusinessDays: integer('class_lead_business_days').notNull().default(5),
    classItemLimit: integer('class_item_limit').notNull().default(15),
    // Local times, comma-separated: `09:00,14:00`.
    pagingTimes: text('paging_times').notNull().default('09:00,14:00'),
    closingTime: text('closing_time').notNull().default('17:00'),
    settingsSeededAt: integer('settings_seeded_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('reading_rooms_code').on(sql`lower(${t.code})`), check('reading_rooms_seats', sql`${t.seats} is null or ${t.seats} >= 0`)],
);

/**
 * A collection: seeded (GEN MSS 238) or imported from its finding aid (src/finding-aids/import.ts),
 * which identifies it by its call number and, when the EAD has one, its `eadid`.
 */
export const collections = sqliteTable('collections', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  callNumber: text('call_number').notNull().unique(),
  title: text('title').notNull(),
  dates: text('dates').notNull(),
  bulkDates: text('bulk_dates'),
  extent: text('extent').notNull(),
  repository: text('repository').notNull(),
  accessNote: text('access_note'),
  abstract: text('abstract'),
  // The finding aid's `eadid` (EAD3 `recordid`): another finding aid may not take this call number.
  eadId: text('ead_id'),
  componentCount: integer('component_count').notNull().default(0),
  // Where it is read; an import says which (the first room when it does not).
  readingRoomId: integer('reading_room_id')
    .notNull()
    .default(1)
    .references(() => readingRooms.id),
  importedAt: integer('imported_at', { mode: 'timestamp_ms' }),
  createdAt: createdAt(),
});

/** A collection's series in the finding aid's order (I, II, …). */
export const series = sqliteTable(
  'series',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    collectionId: integer('collection_id')
      .notNull()
      .references(() => collections.id),
    position: integer('position').notNull(),
    title: text('title').notNull(),
  },
  (t) => [uniqueIndex('series_collection_position').on(t.collectionId, t.position)],
);

export const surrogateKinds = ['reference_copy', 'microfilm', 'digital'] as const;
export type SurrogateKind = (typeof surrogateKinds)[number];

/**
 * A top container (a box, a broadside, a map case…) that paging staff fetch from its stack
 * location. The finding aid gives its identity (type, indicator, barcode), its label and its
 * restriction, recomputed by every import; staff give its location and may correct its barcode,
 * curators its restriction and surrogate, and what they set is never overwritten by an import.
 */
export const containers = sqliteTable(
  'containers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    collectionId: integer('collection_id')
      .notNull()
      .references(() => collections.id),
    // Any lower-case word: box, broadside, folder, map-case, reel…
    type: text('type').notNull(),
    indicator: text('indicator').notNull(),
    label: text('label').notNull(),
    // The finding aid's barcode: part of the identity (one box number with two barcodes is two boxes).
    eadBarcode: text('ead_barcode'),
    // A barcode staff set, shown instead of the finding aid's.
    staffBarcode: text('staff_barcode'),
    // Null until staff say where it is shelved; sorted last on pick lists.
    location: text('location'),
    // The restriction in force: the finding aid's, or the curator's when `restrictionByCurator`.
    // Restricted until `restrictedUntil` (exclusive), or without end when it is null.
    restricted: integer('restricted', { mode: 'boolean' }).notNull().default(false),
    restrictedUntil: text('restricted_until'),
    restrictionNote: text('restriction_note'),
    restrictionByCurator: integer('restriction_by_curator', { mode: 'boolean' }).notNull().default(false),
    surrogateKind: text('surrogate_kind', { enum: surrogateKinds }),
    surrogateNote: text('surrogate_note'),
    surrogateUrl: text('surrogate_url'),
    // Gone from the finding aid at its last import: kept for the requests that name it, never requestable.
    withdrawn: integer('withdrawn', { mode: 'boolean' }).notNull().default(false),
    // Finding-aid order.
    position: integer('position').notNull(),
  },
  (t) => [
    uniqueIndex('containers_identity').on(t.collectionId, t.type, t.indicator, sql`coalesce(${t.eadBarcode}, '')`),
    index('containers_collection_position').on(t.collectionId, t.position),
    check('containers_type', sql`${t.type} <> '' and ${t.type} = lower(${t.type})`),
    check('containers_restriction_note', sql`${t.restricted} = 1 or ${t.restrictionNote} is null`),
    check('containers_surrogate', sql`${t.surrogateKind} is not null or (${t.surrogateNote} is null and ${t.surrogateUrl} is null)`),
    check('containers_surrogate_kind', sql`${t.surrogateKind} is null or ${oneOf(t.surrogateKind, surrogateKinds)}`),
  ],
);

/**
 * A finding aid's components (series, subseries, files, items) as a tree, in finding-aid order.
 * Re-importing keeps a component's id while its `refId` (the EAD `id` attribute) is unchanged.
 */
export const components = sqliteTable(
  'components',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    collectionId: integer('collection_id')
      .notNull()
      .references(() => collections.id),
    parentId: integer('parent_id'),
    // Finding-aid order within the collection (a parent before its children).
    position: integer('position').notNull(),
    refId: text('ref_id'),
    level: text('level'),
    title: text('title').notNull(),
    dates: text('dates'),
    accessNote: text('access_note'),
    childCount: integer('child_count').notNull().default(0),
  },
  // No index on refId: an import reads a collection's refIds all at once (by collection_id) and
  // keeps them unique itself (src/finding-aids/component-writes.ts); one more b-tree per component
  // made every import slower for nothing.
  (t) => [index('components_children').on(t.collectionId, t.parentId, t.position)],
);

/**
 * The top containers a component is housed in (its own, not inherited), with its folders in each.
 * WITHOUT ROWID (migration 0004): its primary key is the table, one b-tree fewer per row.
 */
export const componentContainers = sqliteTable(
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

/**
 * Days a reading room is closed besides weekends: holidays from the seed, and admins' closures.
 * `readingRoomId` null: every room (the v1 closures and the holidays are).
 */
export const closures = sqliteTable(
  'closures',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    date: text('date').notNull(),
    readingRoomId: integer('reading_room_id').references(() => readingRooms.id),
    reason: text('reason').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('closures_date_room').on(t.date, sql`ifnull(${t.readingRoomId}, 0)`)],
);

/**
 * Years whose federal holidays have been seeded: a year is seeded once, so a holiday an admin
 * later reopens (deletes) is not brought back by the next start.
 */
export const holidaySeedings = sqliteTable('holiday_seedings', {
  year: integer('year').primaryKey(),
  createdAt: createdAt(),
});

/**
 * Side effects (e-mails, paging work) written in the same transaction as the change that causes
 * them. A row is done when its worker records completion, not when it reaches Redis.
 */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    queue: text('queue').notNull(),
    jobName: text('job_name').notNull(),
    payload: text('payload', { mode: 'json' }).notNull(),
    createdAt: createdAt(),
    // Random, written with the row (src/outbox/store.ts enqueue): it makes the row's job id and
    // Message-ID its own, so a database restored from a backup does not reuse the ids of mail the
    // original sent after the backup, while a row of the backup keeps the ids it had.
    key: text('key'),
    dispatchedAt: integer('dispatched_at', { mode: 'timestamp_ms' }),
    // How often the relay has published it: more than once means a lease ran out (Redis lost it).
    dispatchCount: integer('dispatch_count').notNull().default(0),
    completedAt: integer('completed_at', { mode: 'timestamp_ms' }),
    // What the worker recorded: `sent`, or why it can never be sent.
    outcome: text('outcome'),
    // Why BullMQ did not take the last publication (its job id held another database's job);
    // null once published. /metrics counts these rows.
    notTaken: text('not_taken'),
  },
  (t) => [index('outbox_pending').on(t.createdAt).where(sql`${t.completedAt} is null`)],
);

/**
 * The installation: one row, made with the database (migration 0003) and kept by its backups and
 * copies. Its id separates this database's queues, jobs and Message-IDs from those of any other
 * database on the same Redis (workers/queues.ts queueNamespace).
 */
export const installation = sqliteTable(
  'installation',
  {
    id: text('id').primaryKey(),
    createdAt: createdAt(),
  },
  (t) => [check('installation_id', sql`length(${t.id}) = 12 and ${t.id} not glob '*[^0-9a-f]*'`)],
);

/**
 * The catalogue's version, one row: every import and every edit of a container raises it in its
 * own transaction, and what is kept of collections and containers between requests (src/caches.ts
 * whileCatalogueUnchanged) is read anew when it moves, in every process.
 */
export const catalogue = sqliteTable(
  'catalogue',
  {
    id: integer('id').primaryKey(),
    version: integer('version').notNull().default(0),
  },
  (t) => [check('catalogue_one_row', sql`${t.id} = 1`)],
);

export const roles = ['researcher', 'staff', 'curator', 'admin'] as const;
export type Role = (typeof roles)[number];

/** Everyone who signs in: researchers register themselves; staff, curators and admins are made by admins. */
export const users = sqliteTable(
  'users',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role', { enum: roles }).notNull().default('researcher'),
    affiliation: text('affiliation'),
    researchTopic: text('research_topic'),
    passwordHash: text('password_hash').notNull(),
    emailVerifiedAt: integer('email_verified_at', { mode: 'timestamp_ms' }),
    // The first-visit photo-ID check at the desk.
    identityVerifiedAt: integer('identity_verified_at', { mode: 'timestamp_ms' }),
    identityVerifiedBy: integer('identity_verified_by'),
    identityDocumentType: text('identity_document_type'),
    disabledAt: integer('disabled_at', { mode: 'timestamp_ms' }),
    // Carried in every token; raised by a password change or reset, a role change or a
    // deactivation, which ends every token issued before.
    tokenVersion: integer('token_version').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('users_email').on(sql`lower(${t.email})`),
    check('users_role', oneOf(t.role, roles)),
  ],
);

export const requestStatuses = [
  'awaiting_approval',
  'waitlisted',
  'scheduled',
  'paged',
  'delivered',
  'returned',
  'on_hold',
  'reshelved',
  'no_show',
  'denied',
  'cancelled',
] as const;
export type RequestStatus = (typeof requestStatuses)[number];


export const appointmentStatuses = ['booked', 'cancelled', 'attended', 'no_show'] as const;
export type AppointmentStatus = (typeof appointmentStatuses)[number];

/**
 * A researcher's visit to a reading room on a day. A `booked` or `attended` one takes a seat: the
 * seat count is enforced by the insert itself (src/appointments/book.ts), one per researcher, room
 * and day by the index.
 */
export const appointments = sqliteTable(
  'appointments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    researcherId: integer('researcher_id')
      .notNull()
      .references(() => users.id),
    readingRoomId: integer('reading_room_id')
      .notNull()
      .references(() => readingRooms.id),
    date: text('date').notNull(),
    status: text('status', { enum: appointmentStatuses }).notNull(),
    checkedInAt: integer('checked_in_at', { mode: 'timestamp_ms' }),
    checkedOutAt: integer('checked_out_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [
    uniqueIndex('appointments_one_seat_each')
      .on(t.researcherId, t.readingRoomId, t.date)
      .where(oneOf(t.status, ['booked', 'attended'])),
    index('appointments_room_date').on(t.readingRoomId, t.date, t.status),
    check('appointments_status', oneOf(t.status, appointmentStatuses)),
  ],
);

export const classSessionStatuses = ['booked', 'cancelled'] as const;
export type ClassSessionStatus = (typeof classSessionStatuses)[number];

/**
 * A class taught in a reading room with boxes on the table: booked by staff or a curator for an
 * instructor (who need not have an account), its boxes requested for the session, not for a researcher.
 */
export const classSessions = sqliteTable(
  'class_sessions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    readingRoomId: integer('reading_room_id')
      .notNull()
      .references(() => readingRooms.id),
    date: text('date').notNull(),
    // Wall-clock times in the room's time zone, HH:MM.
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
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [index('class_sessions_date').on(t.date, t.readingRoomId), check('class_sessions_status', oneOf(t.status, classSessionStatuses))],
);

/** One container for one visit date, for one researcher or for one class session. */
export const requests = sqliteTable(
  'requests',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    // Null for a class session's request, which has its session instead.
    researcherId: integer('researcher_id').references(() => users.id),
    classSessionId: integer('class_session_id').references(() => classSessions.id),
    containerId: integer('container_id')
      .notNull()
      .references(() => containers.id),
    visitDate: text('visit_date').notNull(),
    // The container's room when it was asked for, and the visit it belongs to.
    readingRoomId: integer('reading_room_id')
      .notNull()
      .references(() => readingRooms.id),
    appointmentId: integer('appointment_id').references(() => appointments.id),
    status: text('status', { enum: requestStatuses }).notNull(),
    // The last business day a hold keeps the box at the desk (src/domain/holds.ts).
    holdUntil: text('hold_until'),
    note: text('note'),
    decisionNote: text('decision_note'),
    // Why the original of a restricted container with a surrogate is needed (read by the curator).
    originalReason: text('original_reason'),
    // When the request entered `waitlisted`: the longest-waiting is promoted first.
    waitlistedAt: integer('waitlisted_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [
    // A container is held on a date by one researcher at most, whatever the concurrency: the
    // holding statuses of src/domain/request-status.ts.
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

export const noteVisibilities = ['staff', 'researcher'] as const;
export type NoteVisibility = (typeof noteVisibilities)[number];

/**
 * Notes on a request: `staff` ones for the desk and curators only, never shown to the researcher;
 * `researcher` ones mailed to them. Kept like the events, never changed.
 */
export const requestNotes = sqliteTable(
  'request_notes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
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

/**
 * A researcher's saved list: boxes and folders from any collection, without a date, until they
 * are requested. A component is kept by id without a foreign key (an import may remove it; the
 * list then says so), with its collection.
 */
export const savedItems = sqliteTable(
  'saved_items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
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

/**
 * The components (folders, series) a request asks for in its container, as they were when it was
 * made: the title and folder are kept, so a re-import that drops a component leaves the request
 * readable. No foreign key to `components` for the same reason (ids are never reused).
 */
export const requestComponents = sqliteTable(
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

export const accountTokenPurposes = ['verify-email', 'password-reset'] as const;
export type AccountTokenPurpose = (typeof accountTokenPurposes)[number];

/**
 * Single-use links sent by e-mail. Only a hash of the token is kept. A verification carries the
 * password hash of the registration that asked for it, so whoever proves the mailbox gets the
 * password they chose, not that of someone who registered the address before them.
 */
export const accountTokens = sqliteTable(
  'account_tokens',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    purpose: text('purpose', { enum: accountTokenPurposes }).notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    passwordHash: text('password_hash'),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    usedAt: integer('used_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [index('account_tokens_user').on(t.userId, t.purpose), check('account_tokens_purpose', oneOf(t.purpose, accountTokenPurposes))],
);

/**
 * The security audit trail: who did what to which account, when and from where. Also the record
 * the per-address limits count (failed logins, registrations, reset requests).
 */
export const securityEvents = sqliteTable(
  'security_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
    kind: text('kind').notNull(),
    actorId: integer('actor_id'),
    userId: integer('user_id'),
    // The address as submitted (lower-cased), known or not.
    email: text('email'),
    ip: text('ip'),
    detail: text('detail', { mode: 'json' }),
  },
  (t) => [index('security_events_email_kind_at').on(t.email, t.kind, t.at), index('security_events_at').on(t.at)],
);

/**
 * Every change of a request's status: who, in which role, when, from what to what, and why.
 * Append-only: triggers (migration 0001) refuse UPDATE and DELETE.
 */
export const requestEvents = sqliteTable(
  'request_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    requestId: integer('request_id')
      .notNull()
      .references(() => requests.id),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
    // Null for the system (paging runs, closing time, promotions from the waiting list).
    actorId: integer('actor_id').references(() => users.id),
    actorRole: text('actor_role').notNull(),
    fromStatus: text('from_status', { enum: requestStatuses }),
    toStatus: text('to_status', { enum: requestStatuses }).notNull(),
    note: text('note'),
  },
  (t) => [index('request_events_request').on(t.requestId, t.id)],
);

/**
 * Timed work done once: a paging run, a day's reminders, a closing time. The key (e.g.
 * `closing-time:2026-12-01`) makes a repeated run do nothing new.
 */
export const scheduledRuns = sqliteTable('scheduled_runs', {
  key: text('key').primaryKey(),
  at: integer('at', { mode: 'timestamp_ms' }).notNull(),
});

/**
 * Each OAI-PMH harvest (nightly or from the command line) and its outcome. The next nightly
 * harvest asks for what changed since the day the last successful one of the same endpoint and
 * set started (`from` is inclusive: that day is read again, which the idempotent import makes
 * harmless, and nothing changed while a harvest ran is missed).
 */
export const oaiHarvests = sqliteTable(
  'oai_harvests',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    // Without user information or query values, as in every message.
    url: text('url').notNull(),
    set: text('set'),
    // The `from` sent (YYYY-MM-DD), null for the whole list.
    from: text('from'),
    startedAt: integer('started_at', { mode: 'timestamp_ms' }).notNull(),
    finishedAt: integer('finished_at', { mode: 'timestamp_ms' }).notNull(),
    records: integer('records').notNull(),
    deleted: integer('deleted').notNull(),
    failures: integer('failures').notNull(),
    // Why the list could not be read to its end; null: the harvest succeeded (some records may have failed).
    error: text('error'),
  },
  (t) => [index('oai_harvests_source').on(t.url, t.set, t.startedAt)],
);
