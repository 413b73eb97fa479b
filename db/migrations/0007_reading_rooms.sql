CREATE TABLE `appointments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`researcher_id` integer NOT NULL,
	`reading_room_id` integer NOT NULL,
	`date` text NOT NULL,
	`status` text NOT NULL,
	`checked_in_at` integer,
	`checked_out_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`researcher_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reading_room_id`) REFERENCES `reading_rooms`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "appointments_status" CHECK("appointments"."status" in ('booked', 'cancelled', 'attended', 'no_show'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `appointments_one_seat_each` ON `appointments` (`researcher_id`,`reading_room_id`,`date`) WHERE "appointments"."status" in ('booked', 'attended');--> statement-breakpoint
CREATE INDEX `appointments_room_date` ON `appointments` (`reading_room_id`,`date`,`status`);--> statement-breakpoint
CREATE TABLE `reading_rooms` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`timezone` text NOT NULL,
	`seats` integer,
	`lead_business_days` integer DEFAULT 2 NOT NULL,
	`daily_item_limit` integer DEFAULT 10 NOT NULL,
	`max_advance_days` integer DEFAULT 90 NOT NULL,
	`hold_business_days` integer DEFAULT 5 NOT NULL,
	`class_lead_business_days` integer DEFAULT 5 NOT NULL,
	`class_item_limit` integer DEFAULT 15 NOT NULL,
	`paging_times` text DEFAULT '09:00,14:00' NOT NULL,
	`closing_time` text DEFAULT '17:00' NOT NULL,
	`settings_seeded_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	CONSTRAINT "reading_rooms_seats" CHECK("reading_rooms"."seats" is null or "reading_rooms"."seats" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reading_rooms_code` ON `reading_rooms` (lower("code"));--> statement-breakpoint
-- The first room. Its settings come from the v1 environment at the next start (db/seed/reading-rooms.ts).
INSERT INTO `reading_rooms` (`id`, `code`, `name`, `timezone`) VALUES (1, 'main', 'Reading Room', 'America/New_York');--> statement-breakpoint
CREATE TABLE `__new_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`researcher_id` integer NOT NULL,
	`container_id` integer NOT NULL,
	`visit_date` text NOT NULL,
	`reading_room_id` integer NOT NULL,
	`appointment_id` integer,
	`status` text NOT NULL,
	`hold_until` text,
	`note` text,
	`decision_note` text,
	`original_reason` text,
	`waitlisted_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`researcher_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`container_id`) REFERENCES `containers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reading_room_id`) REFERENCES `reading_rooms`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`appointment_id`) REFERENCES `appointments`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "requests_status" CHECK("__new_requests"."status" in ('awaiting_approval', 'waitlisted', 'scheduled', 'paged', 'delivered', 'returned', 'on_hold', 'reshelved', 'no_show', 'denied', 'cancelled'))
);
--> statement-breakpoint
INSERT INTO `__new_requests`("id", "researcher_id", "container_id", "visit_date", "reading_room_id", "appointment_id", "status", "hold_until", "note", "decision_note", "original_reason", "waitlisted_at", "created_at", "updated_at") SELECT "id", "researcher_id", "container_id", "visit_date", 1, NULL, "status", NULL, "note", "decision_note", "original_reason", "waitlisted_at", "created_at", "updated_at" FROM `requests`;--> statement-breakpoint
DROP TABLE `requests`;--> statement-breakpoint
ALTER TABLE `__new_requests` RENAME TO `requests`;--> statement-breakpoint
CREATE UNIQUE INDEX `requests_one_holder` ON `requests` (`container_id`,`visit_date`) WHERE "requests"."status" in ('scheduled', 'paged', 'delivered');--> statement-breakpoint
CREATE INDEX `requests_visit_date_status` ON `requests` (`visit_date`,`status`);--> statement-breakpoint
CREATE INDEX `requests_researcher_visit_date` ON `requests` (`researcher_id`,`visit_date`);--> statement-breakpoint
CREATE INDEX `requests_container` ON `requests` (`container_id`,`visit_date`);--> statement-breakpoint
CREATE INDEX `requests_appointment` ON `requests` (`appointment_id`);--> statement-breakpoint
CREATE INDEX `requests_held` ON `requests` (`container_id`,`hold_until`) WHERE "requests"."hold_until" is not null;--> statement-breakpoint
CREATE TABLE `__new_closures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`date` text NOT NULL,
	`reading_room_id` integer,
	`reason` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`reading_room_id`) REFERENCES `reading_rooms`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
-- v1 closures close every room: with one room, the same days, and a v1 client's DELETE (no room) still finds them.
INSERT INTO `__new_closures`("date", "reading_room_id", "reason", "created_at") SELECT "date", NULL, "reason", "created_at" FROM `closures` ORDER BY "date";--> statement-breakpoint
DROP TABLE `closures`;--> statement-breakpoint
ALTER TABLE `__new_closures` RENAME TO `closures`;--> statement-breakpoint
CREATE UNIQUE INDEX `closures_date_room` ON `closures` (`date`, ifnull(`reading_room_id`, 0));--> statement-breakpoint
ALTER TABLE `collections` ADD `reading_room_id` integer DEFAULT 1 NOT NULL REFERENCES reading_rooms(id);--> statement-breakpoint
-- Each v1 visit (a researcher's requests for one day) becomes an appointment in the first room:
-- attended when a box was delivered, booked while any request is still ahead, a no-show when one
-- was, else cancelled.
INSERT INTO `appointments` (`researcher_id`, `reading_room_id`, `date`, `status`, `created_at`, `updated_at`)
SELECT r.`researcher_id`, 1, r.`visit_date`,
  CASE
    WHEN max(EXISTS (SELECT 1 FROM `request_events` e WHERE e.`request_id` = r.`id` AND e.`to_status` = 'delivered')) THEN 'attended'
    WHEN max(r.`status` IN ('awaiting_approval', 'waitlisted', 'scheduled', 'paged')) THEN 'booked'
    WHEN max(r.`status` = 'no_show') THEN 'no_show'
    ELSE 'cancelled'
  END,
  min(r.`created_at`), max(r.`updated_at`)
FROM `requests` r
GROUP BY r.`researcher_id`, r.`visit_date`
ORDER BY min(r.`id`);--> statement-breakpoint
UPDATE `requests` SET `appointment_id` = (
  SELECT a.`id` FROM `appointments` a
  WHERE a.`researcher_id` = `requests`.`researcher_id` AND a.`reading_room_id` = 1 AND a.`date` = `requests`.`visit_date`
);
