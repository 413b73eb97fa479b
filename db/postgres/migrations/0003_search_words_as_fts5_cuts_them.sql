-- The same words on both engines. FTS5's unicode61 tokenizer (SQLite) sees words between
-- separators and nothing else; PostgreSQL's parser reads `<script>` as a tag (and leaves it out),
-- `a-b` as a hyphenated word, `x@y.org` as an address. Indexed with ASCII punctuation made spaces,
-- a title gives PostgreSQL the words FTS5 finds in it (test/finding-aids/search.test.ts).
CREATE FUNCTION "search_text"(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  RETURN regexp_replace(public."folded"($1), '[!-/:-@[-`{-~]+', ' ', 'g');
--> statement-breakpoint
DROP INDEX "search_entries_words";
--> statement-breakpoint
ALTER TABLE "search_entries" DROP COLUMN "words";
--> statement-breakpoint
ALTER TABLE "search_entries" ADD COLUMN "words" tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('simple', coalesce("search_text"("title"), '')), 'A') || setweight(to_tsvector('simple', coalesce("search_text"("abstract"), '')), 'B')
) STORED;
--> statement-breakpoint
CREATE INDEX "search_entries_words" ON "search_entries" USING gin ("words");
