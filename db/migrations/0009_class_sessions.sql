-- Class sessions; a request belongs to a researcher or to a class session (researcher_id becomes
-- nullable: SQLite's table rebuild, run with foreign keys off by the migrator).
CREATE TABLE `class_sessions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`reading_room_id` integer NOT NULL,
	`date` text NOT NULL,
	`start_time` text NOT NULL,
	`end_time` text NOT NULL,
	`title` text NOT NULL,
	`instructor_name` text NOT NULL,
	`instructor_email` text NOT NULL,
	`headcount` integer NOT NULL,
	`status` text NOT NULL,
	`booked_by` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`reading_room_id`) REFERENCES `reading_rooms`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`booked_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "class_sessions_status" CHECK("class_sessions"."status" in ('booked', 'cancelled'))
);
--> statement-breakpoint
CREATE INDEX `class_sessions_date` ON `class_sessions` (`date`,`reading_room_id`);--> statement-breakpoint
CREATE TABLE `__new_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`researcher_id` integer,
	`class_session_id` integer,
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
	FOREIGN KEY (`class_session_id`) REFERENCES `class_sessions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`container_id`) REFERENCES `containers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reading_room_id`) REFERENCES `reading_rooms`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`appointment_id`) REFERENCES `appointments`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "requests_status" CHECK("__new_requests"."status" in ('awaiting_approval', 'waitlisted', 'scheduled', 'paged', 'delivered', 'returned', 'on_hold', 'reshelved', 'no_show', 'denied', 'cancelled')),
	CONSTRAINT "requests_for_one" CHECK(("__new_requests"."researcher_id" is null) <> ("__new_requests"."class_session_id" is null))
);
--> statement-breakpoint
INSERT INTO `__new_requests`("id", "researcher_id", "class_session_id", "container_id", "visit_date", "reading_room_id", "appointment_id", "status", "hold_until", "note", "decision_note", "original_reason", "waitlisted_at", "created_at", "updated_at") SELECT "id", "researcher_id", NULL, "container_id", "visit_date", "reading_room_id", "appointment_id", "status", "hold_until", "note", "decision_note", "original_reason", "waitlisted_at", "created_at", "updated_at" FROM `requests`;--> statement-breakpoint
DROP TABLE `requests`;--> statement-breakpoint
ALTER TABLE `__new_requests` RENAME TO `requests`;--> statement-breakpoint
CREATE UNIQUE INDEX `requests_one_holder` ON `requests` (`container_id`,`visit_date`) WHERE "requests"."status" in ('scheduled', 'paged', 'delivered');--> statement-breakpoint
CREATE INDEX `requests_visit_date_status` ON `requests` (`visit_date`,`status`);--> statement-breakpoint
CREATE INDEX `requests_researcher_visit_date` ON `requests` (`researcher_id`,`visit_date`);--> statement-breakpoint
CREATE INDEX `requests_container` ON `requests` (`container_id`,`visit_date`);--> statement-breakpoint
CREATE INDEX `requests_appointment` ON `requests` (`appointment_id`);--> statement-breakpoint
CREATE INDEX `requests_held` ON `requests` (`container_id`,`hold_until`) WHERE "requests"."hold_until" is not null;--> statement-breakpoint
CREATE INDEX `requests_class_session` ON `requests` (`class_session_id`) WHERE "requests"."class_session_id" is not null;