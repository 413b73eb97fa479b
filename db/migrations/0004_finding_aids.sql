CREATE TABLE `component_containers` (
	`component_id` integer NOT NULL,
	`container_id` integer NOT NULL,
	`position` integer NOT NULL,
	`folder` text,
	PRIMARY KEY(`component_id`, `position`),
	FOREIGN KEY (`component_id`) REFERENCES `components`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`container_id`) REFERENCES `containers`(`id`) ON UPDATE no action ON DELETE no action
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `component_containers_container` ON `component_containers` (`container_id`);--> statement-breakpoint
CREATE TABLE `components` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`collection_id` integer NOT NULL,
	`parent_id` integer,
	`position` integer NOT NULL,
	`ref_id` text,
	`level` text,
	`title` text NOT NULL,
	`dates` text,
	`access_note` text,
	`child_count` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`collection_id`) REFERENCES `collections`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `components_children` ON `components` (`collection_id`,`parent_id`,`position`);--> statement-breakpoint
CREATE TABLE `request_components` (
	`request_id` integer NOT NULL,
	`position` integer NOT NULL,
	`component_id` integer NOT NULL,
	`title` text NOT NULL,
	`folder` text,
	PRIMARY KEY(`request_id`, `position`),
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
-- The containers table is made anew (its type is any word now, its location may be unknown).
-- openDatabase runs migrations with foreign keys off, as SQLite's table-rebuild procedure needs:
-- inside the migrations' transaction these pragmas do nothing.
CREATE TABLE `__new_containers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`collection_id` integer NOT NULL,
	`type` text NOT NULL,
	`indicator` text NOT NULL,
	`label` text NOT NULL,
	`ead_barcode` text,
	`staff_barcode` text,
	`location` text,
	`restricted` integer DEFAULT false NOT NULL,
	`restricted_until` text,
	`restriction_note` text,
	`restriction_by_curator` integer DEFAULT false NOT NULL,
	`surrogate_kind` text,
	`surrogate_note` text,
	`surrogate_url` text,
	`withdrawn` integer DEFAULT false NOT NULL,
	`position` integer NOT NULL,
	FOREIGN KEY (`collection_id`) REFERENCES `collections`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "containers_type" CHECK("__new_containers"."type" <> '' and "__new_containers"."type" = lower("__new_containers"."type")),
	CONSTRAINT "containers_restriction_note" CHECK("__new_containers"."restricted" = 1 or "__new_containers"."restriction_note" is null),
	CONSTRAINT "containers_surrogate" CHECK("__new_containers"."surrogate_kind" is not null or ("__new_containers"."surrogate_note" is null and "__new_containers"."surrogate_url" is null)),
	CONSTRAINT "containers_surrogate_kind" CHECK("__new_containers"."surrogate_kind" is null or "__new_containers"."surrogate_kind" in ('reference_copy', 'microfilm', 'digital'))
);
--> statement-breakpoint
INSERT INTO `__new_containers`("id", "collection_id", "type", "indicator", "label", "location", "restricted", "restriction_note", "position") SELECT "id", "collection_id", "type", "indicator", "label", "location", "restricted", "restriction_note", "position" FROM `containers`;--> statement-breakpoint
DROP TABLE `containers`;--> statement-breakpoint
ALTER TABLE `__new_containers` RENAME TO `containers`;--> statement-breakpoint
CREATE UNIQUE INDEX `containers_identity` ON `containers` (`collection_id`,`type`,`indicator`,coalesce(`ead_barcode`, ''));--> statement-breakpoint
CREATE INDEX `containers_collection_position` ON `containers` (`collection_id`,`position`);--> statement-breakpoint
ALTER TABLE `collections` ADD `abstract` text;--> statement-breakpoint
ALTER TABLE `collections` ADD `ead_id` text;--> statement-breakpoint
ALTER TABLE `collections` ADD `component_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `collections` ADD `imported_at` integer;--> statement-breakpoint
ALTER TABLE `requests` ADD `original_reason` text;--> statement-breakpoint
-- GEN MSS 238's restricted boxes and broadside carry the finding aid's reference copies.
UPDATE `containers` SET `surrogate_kind` = 'reference_copy',
  `surrogate_note` = 'Reference surrogates have been substituted in the main files.'
WHERE `restricted` = 1 AND `collection_id` = (SELECT `id` FROM `collections` WHERE `call_number` = 'GEN MSS 238');
--> statement-breakpoint
-- Full-text search over collection titles and abstracts and component titles (src/finding-aids/search.ts):
-- accents folded, case ignored. An entry's rowid is its collection's id times 2^32 plus its position
-- in the finding aid (0 for the collection's own entry, which has no component): the search orders
-- and filters by collection and position without reading a row of the table for each match.
CREATE VIRTUAL TABLE `search_entries` USING fts5(
  `title`, `abstract`, `component_id` UNINDEXED,
  tokenize = 'unicode61 remove_diacritics 2'
);
--> statement-breakpoint
INSERT INTO `search_entries` (`rowid`, `title`, `abstract`, `component_id`)
SELECT `id` * 4294967296, `title`, `abstract`, NULL FROM `collections`;
