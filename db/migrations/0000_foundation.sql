CREATE TABLE `account_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`purpose` text NOT NULL,
	`token_hash` text NOT NULL,
	`password_hash` text,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "account_tokens_purpose" CHECK("account_tokens"."purpose" in ('verify-email', 'password-reset'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `account_tokens_token_hash_unique` ON `account_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `account_tokens_user` ON `account_tokens` (`user_id`,`purpose`);--> statement-breakpoint
CREATE TABLE `closures` (
	`date` text PRIMARY KEY NOT NULL,
	`reason` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `collections` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`call_number` text NOT NULL,
	`title` text NOT NULL,
	`dates` text NOT NULL,
	`bulk_dates` text,
	`extent` text NOT NULL,
	`repository` text NOT NULL,
	`access_note` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `collections_call_number_unique` ON `collections` (`call_number`);--> statement-breakpoint
CREATE TABLE `containers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`collection_id` integer NOT NULL,
	`type` text NOT NULL,
	`indicator` text NOT NULL,
	`label` text NOT NULL,
	`location` text NOT NULL,
	`restricted` integer DEFAULT false NOT NULL,
	`restriction_note` text,
	`position` integer NOT NULL,
	FOREIGN KEY (`collection_id`) REFERENCES `collections`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "containers_type" CHECK("containers"."type" in ('box', 'broadside')),
	CONSTRAINT "containers_restriction_note" CHECK("containers"."restricted" = 1 or "containers"."restriction_note" is null)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `containers_collection_type_indicator` ON `containers` (`collection_id`,`type`,`indicator`);--> statement-breakpoint
CREATE INDEX `containers_collection_position` ON `containers` (`collection_id`,`position`);--> statement-breakpoint
CREATE TABLE `holiday_seedings` (
	`year` integer PRIMARY KEY NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`queue` text NOT NULL,
	`job_name` text NOT NULL,
	`payload` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`dispatched_at` integer,
	`dispatch_count` integer DEFAULT 0 NOT NULL,
	`completed_at` integer,
	`outcome` text
);
--> statement-breakpoint
CREATE INDEX `outbox_pending` ON `outbox` (`created_at`) WHERE "outbox"."completed_at" is null;--> statement-breakpoint
CREATE TABLE `request_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` integer NOT NULL,
	`at` integer NOT NULL,
	`actor_id` integer,
	`actor_role` text NOT NULL,
	`from_status` text,
	`to_status` text NOT NULL,
	`note` text,
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `request_events_request` ON `request_events` (`request_id`,`id`);--> statement-breakpoint
CREATE TABLE `requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`researcher_id` integer NOT NULL,
	`container_id` integer NOT NULL,
	`visit_date` text NOT NULL,
	`status` text NOT NULL,
	`note` text,
	`decision_note` text,
	`waitlisted_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`researcher_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`container_id`) REFERENCES `containers`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "requests_status" CHECK("requests"."status" in ('awaiting_approval', 'waitlisted', 'scheduled', 'paged', 'delivered', 'returned', 'reshelved', 'no_show', 'denied', 'cancelled'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `requests_one_holder` ON `requests` (`container_id`,`visit_date`) WHERE "requests"."status" in ('scheduled', 'paged', 'delivered');--> statement-breakpoint
CREATE INDEX `requests_visit_date_status` ON `requests` (`visit_date`,`status`);--> statement-breakpoint
CREATE INDEX `requests_researcher_visit_date` ON `requests` (`researcher_id`,`visit_date`);--> statement-breakpoint
CREATE INDEX `requests_container` ON `requests` (`container_id`,`visit_date`);--> statement-breakpoint
CREATE TABLE `scheduled_runs` (
	`key` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `security_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`kind` text NOT NULL,
	`actor_id` integer,
	`user_id` integer,
	`email` text,
	`ip` text,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `security_events_email_kind_at` ON `security_events` (`email`,`kind`,`at`);--> statement-breakpoint
CREATE INDEX `security_events_at` ON `security_events` (`at`);--> statement-breakpoint
CREATE TABLE `series` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`collection_id` integer NOT NULL,
	`position` integer NOT NULL,
	`title` text NOT NULL,
	FOREIGN KEY (`collection_id`) REFERENCES `collections`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `series_collection_position` ON `series` (`collection_id`,`position`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`role` text DEFAULT 'researcher' NOT NULL,
	`affiliation` text,
	`research_topic` text,
	`password_hash` text NOT NULL,
	`email_verified_at` integer,
	`identity_verified_at` integer,
	`identity_verified_by` integer,
	`identity_document_type` text,
	`disabled_at` integer,
	`token_version` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	CONSTRAINT "users_role" CHECK("users"."role" in ('researcher', 'staff', 'curator', 'admin'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email` ON `users` (lower("email"));