CREATE TABLE `oai_harvests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`url` text NOT NULL,
	`set` text,
	`from` text,
	`started_at` integer NOT NULL,
	`finished_at` integer NOT NULL,
	`records` integer NOT NULL,
	`deleted` integer NOT NULL,
	`failures` integer NOT NULL,
	`error` text
);
--> statement-breakpoint
CREATE INDEX `oai_harvests_source` ON `oai_harvests` (`url`,`set`,`started_at`);