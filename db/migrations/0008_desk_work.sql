CREATE TABLE `request_notes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` integer NOT NULL,
	`author_id` integer NOT NULL,
	`visibility` text NOT NULL,
	`text` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "request_notes_visibility" CHECK("request_notes"."visibility" in ('staff', 'researcher'))
);
--> statement-breakpoint
CREATE INDEX `request_notes_request` ON `request_notes` (`request_id`);--> statement-breakpoint
CREATE TABLE `saved_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`researcher_id` integer NOT NULL,
	`container_id` integer,
	`component_id` integer,
	`collection_id` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`researcher_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`container_id`) REFERENCES `containers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`collection_id`) REFERENCES `collections`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "saved_items_one_thing" CHECK(("saved_items"."container_id" is null) <> ("saved_items"."component_id" is null))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `saved_items_container` ON `saved_items` (`researcher_id`,`container_id`) WHERE "saved_items"."container_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX `saved_items_component` ON `saved_items` (`researcher_id`,`component_id`) WHERE "saved_items"."component_id" is not null;--> statement-breakpoint
-- A note, once written, is part of the request's record, like its events.
CREATE TRIGGER `request_notes_no_update` BEFORE UPDATE ON `request_notes`
BEGIN
  SELECT RAISE(ABORT, 'request notes are append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `request_notes_no_delete` BEFORE DELETE ON `request_notes`
BEGIN
  SELECT RAISE(ABORT, 'request notes are append-only');
END;
