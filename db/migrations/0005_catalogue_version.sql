CREATE TABLE `catalogue` (
	`id` integer PRIMARY KEY NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	CONSTRAINT "catalogue_one_row" CHECK("catalogue"."id" = 1)
);
--> statement-breakpoint
INSERT INTO `catalogue` (`id`, `version`) VALUES (1, 0);
