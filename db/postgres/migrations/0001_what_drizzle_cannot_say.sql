-- What the SQLite migrations make besides the tables of db/schema.ts, said in PostgreSQL's terms.

-- A request's history and its notes are a record, not a draft: rows can be added, never changed
-- or removed (SQLite: migrations 0001 and 0008).
CREATE FUNCTION "append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% are append-only', replace(TG_TABLE_NAME, '_', ' ') USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "request_events_no_update" BEFORE UPDATE OR DELETE ON "request_events" FOR EACH ROW EXECUTE FUNCTION "append_only"();
--> statement-breakpoint
CREATE TRIGGER "request_events_no_truncate" BEFORE TRUNCATE ON "request_events" FOR EACH STATEMENT EXECUTE FUNCTION "append_only"();
--> statement-breakpoint
CREATE TRIGGER "request_notes_no_update" BEFORE UPDATE OR DELETE ON "request_notes" FOR EACH ROW EXECUTE FUNCTION "append_only"();
--> statement-breakpoint
CREATE TRIGGER "request_notes_no_truncate" BEFORE TRUNCATE ON "request_notes" FOR EACH STATEMENT EXECUTE FUNCTION "append_only"();
--> statement-breakpoint

-- Every database gets its installation id when it is made: 12 random hex digits (the first 12 of
-- a random UUID, all random), and keeps one (SQLite: migration 0003).
INSERT INTO "installation" ("id") VALUES (substr(replace(gen_random_uuid()::text, '-', ''), 1, 12));
--> statement-breakpoint
CREATE FUNCTION "installation_one_row"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM "installation") THEN
    RAISE EXCEPTION 'a database has one installation' USING ERRCODE = 'unique_violation';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "installation_one_row" BEFORE INSERT ON "installation" FOR EACH ROW EXECUTE FUNCTION "installation_one_row"();
--> statement-breakpoint

-- The catalogue's version (SQLite: migration 0005) and the first reading room (migration 0007),
-- whose settings the first start seeds.
INSERT INTO "catalogue" ("id", "version") VALUES (1, 0);
--> statement-breakpoint
INSERT INTO "reading_rooms" ("id", "code", "name", "timezone") VALUES (1, 'main', 'Reading Room', 'America/New_York');
--> statement-breakpoint
SELECT setval(pg_get_serial_sequence('"reading_rooms"', 'id'), 1);
--> statement-breakpoint

-- Full-text search over collection titles and abstracts and component titles (SQLite: the FTS5
-- table of migration 0004): accents folded, case ignored, no stemming, as FTS5's unicode61
-- tokenizer reads words. An entry is its collection's id times 2^32 plus its position in the
-- finding aid (0 for the collection's own entry).
CREATE EXTENSION IF NOT EXISTS "unaccent";
--> statement-breakpoint
-- unaccent() is only STABLE (its dictionary could change); an index needs an IMMUTABLE function,
-- so this one names the dictionary itself, as PostgreSQL's documentation advises.
CREATE FUNCTION "folded"(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  RETURN public.unaccent('public.unaccent'::regdictionary, $1);
--> statement-breakpoint
CREATE TABLE "search_entries" (
  "entry" bigint PRIMARY KEY,
  "title" text NOT NULL,
  "abstract" text,
  "component_id" integer,
  "words" tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', "folded"("title")), 'A') || setweight(to_tsvector('simple', coalesce("folded"("abstract"), '')), 'B')
  ) STORED
);
--> statement-breakpoint
CREATE INDEX "search_entries_words" ON "search_entries" USING gin ("words");
