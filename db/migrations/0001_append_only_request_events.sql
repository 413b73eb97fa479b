-- A request's history is a record, not a draft: its events can be added, never changed or removed.
CREATE TRIGGER `request_events_no_update` BEFORE UPDATE ON `request_events`
BEGIN
  SELECT RAISE(ABORT, 'request events are append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `request_events_no_delete` BEFORE DELETE ON `request_events`
BEGIN
  SELECT RAISE(ABORT, 'request events are append-only');
END;
