CREATE TABLE `installation` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	CONSTRAINT "installation_id" CHECK(length("installation"."id") = 12 and "installation"."id" not glob '*[^0-9a-f]*')
);
--> statement-breakpoint
ALTER TABLE `outbox` ADD `key` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `not_taken` text;