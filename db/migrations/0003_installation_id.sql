-- Every database gets its installation id when it is made (or, for a database made before
-- installations existed, when it is first migrated): 12 random hex digits.
INSERT INTO `installation` (`id`) VALUES (lower(hex(randomblob(6))));
--> statement-breakpoint
-- One installation per database.
CREATE TRIGGER `installation_one_row` BEFORE INSERT ON `installation`
BEGIN
  SELECT RAISE(ABORT, 'a database has one installation');
END;
--> statement-breakpoint
-- Rows written before row keys existed get one now, each its own.
UPDATE `outbox` SET `key` = lower(hex(randomblob(4))) WHERE `key` IS NULL;
