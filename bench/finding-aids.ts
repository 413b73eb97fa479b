import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { openDatabase } from '../db/client.ts';
import { seedDatabase } from '../db/seed/index.ts';
import { loadConfig } from '../src/config.ts';
import { todayIn } from '../src/domain/calendar.ts';
import { entryId } from '../src/finding-aids/search-entries.ts';
import { serverEnv } from './fixtures.ts';

// The finding aids of read.search and read.tree, written straight into SQLite: importing 100
// EAD documents of 10,000 components through the API would take minutes and measure the import.
// Titles are drawn from a vocabulary with a Zipf distribution, as words are in real titles: a few
// words are in a large share of titles (the common-word search), most are in a handful (the rare one).

export const FINDING_AIDS = 100;
/** Components per finding aid: SERIES series of FILES_PER_SERIES files each. */
export const SERIES = 20;
export const FILES_PER_SERIES = 499;
export const COMPONENTS_PER_FINDING_AID = SERIES * (1 + FILES_PER_SERIES);
const VOCABULARY = 20_000;
/** Files per box, each in a folder of its own. */
const FILES_PER_BOX = 20;

export interface FindingAidFixture {
  env: Record<string, string>;
  /** The collection read.tree reads, and one of its series. */
  collectionId: number;
  seriesId: number;
  /** A word in the most titles, and one in a few; how many entries hold each. */
  commonWord: string;
  commonHits: number;
  rareWord: string;
  rareHits: number;
  /** Words as rare, a different one for each request of read.search.varied (no answer asked twice). */
  rareWords: string[];
  buildMs: number;
}

/** A small, fast, seeded generator: the same database every run. */
function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Pseudo-words of two to four syllables, shortest first: in a Zipf ranking the common words are short. */
function vocabulary(random: () => number): string[] {
  const syllables = [...'bcdfglmnprstv'].flatMap((c) => [...'aeiou'].map((v) => c + v));
  const words = new Set<string>();
  while (words.size < VOCABULARY) {
    const n = words.size < 2_000 ? 2 : words.size < 8_000 ? 3 : 4;
    words.add(Array.from({ length: n }, () => syllables[Math.floor(random() * syllables.length)]).join(''));
  }
  return [...words];
}

/** Word ranks drawn with probability proportional to 1 / (rank + 1). */
function zipf(random: () => number): () => number {
  const cumulative = new Float64Array(VOCABULARY);
  let sum = 0;
  for (let r = 0; r < VOCABULARY; r++) cumulative[r] = sum += 1 / (r + 1);
  return () => {
    const x = random() * sum;
    let [low, high] = [0, VOCABULARY - 1];
    while (low < high) {
      const mid = (low + high) >> 1;
      if (cumulative[mid]! < x) low = mid + 1;
      else high = mid;
    }
    return low;
  };
}

export async function buildFindingAids(folder: string): Promise<FindingAidFixture> {
  const started = performance.now();
  const databasePath = join(folder, 'reading-room.sqlite');
  const env = serverEnv(databasePath, randomBytes(32).toString('hex'));
  const db = openDatabase(databasePath);
  const config = loadConfig(env);
  await seedDatabase(db, config, todayIn(config.timezone, new Date()));
  const sqlite = db.$writer.$client;
  const random = mulberry32(238);
  const words = vocabulary(random);
  const rank = zipf(random);
  const title = () => Array.from({ length: 3 + Math.floor(random() * 6) }, () => words[rank()]).join(' ');

  const build = sqlite.transaction(() => {
    const addCollection = sqlite.prepare(
      `insert into collections (call_number, title, dates, extent, repository, abstract, component_count) values (?, ?, '1900-2000', ?, 'Benchmark Library', ?, ?)`,
    );
    const addBox = sqlite.prepare(`insert into containers (collection_id, type, indicator, label, position) values (?, 'box', ?, ?, ?)`);
    const addComponent = sqlite.prepare(
      `insert into components (collection_id, parent_id, position, level, title, dates, child_count) values (?, ?, ?, ?, ?, '1931-1940', ?)`,
    );
    const house = sqlite.prepare(`insert into component_containers (component_id, container_id, position, folder) values (?, ?, 1, ?)`);
    const addEntry = sqlite.prepare(`insert into search_entries (rowid, title, abstract, component_id) values (?, ?, ?, ?)`);
    const ids = { collectionId: 0, seriesId: 0 };
    for (let aid = 1; aid <= FINDING_AIDS; aid++) {
      const [collectionTitle, abstract] = [`${title()} papers`, `${title()} ${title()} ${title()}`];
      const collectionId = Number(addCollection.run(`BENCH MSS ${aid}`, collectionTitle, `${COMPONENTS_PER_FINDING_AID / FILES_PER_BOX} boxes`, abstract, COMPONENTS_PER_FINDING_AID).lastInsertRowid);
      addEntry.run(entryId(collectionId, 0), collectionTitle, abstract, null);
      const boxes: number[] = [];
      for (let box = 1; box <= (SERIES * FILES_PER_SERIES) / FILES_PER_BOX; box++) boxes.push(Number(addBox.run(collectionId, String(box), `Box ${box}`, box).lastInsertRowid));
      let position = 0;
      for (let s = 0; s < SERIES; s++) {
        const seriesTitle = title();
        const seriesId = Number(addComponent.run(collectionId, null, ++position, 'series', seriesTitle, FILES_PER_SERIES).lastInsertRowid);
        addEntry.run(entryId(collectionId, position), seriesTitle, null, seriesId);
        if (aid === 1 && s === 0) Object.assign(ids, { collectionId, seriesId });
        for (let f = 0; f < FILES_PER_SERIES; f++) {
          const fileTitle = title();
          const id = Number(addComponent.run(collectionId, seriesId, ++position, 'file', fileTitle, 0).lastInsertRowid);
          const n = s * FILES_PER_SERIES + f;
          house.run(id, boxes[Math.floor(n / FILES_PER_BOX)], `Folder ${(n % FILES_PER_BOX) + 1}`);
          addEntry.run(entryId(collectionId, position), fileTitle, null, id);
        }
      }
    }
    return ids;
  });
  // A big build: no fsync per page; the server reopens the file with the real pragmas.
  sqlite.pragma('synchronous = OFF');
  const ids = build();
  sqlite.pragma('synchronous = FULL');
  sqlite.exec(`insert into search_entries (search_entries) values ('optimize'); analyze;`);
  sqlite.pragma('wal_checkpoint(TRUNCATE)');

  const hits = sqlite.prepare(`select count(*) from search_entries where search_entries match ?`).pluck();
  const [commonWord, rareWord] = [words[0]!, words[VOCABULARY / 2]!];
  const fixture = {
    env,
    ...ids,
    commonWord,
    commonHits: hits.get(`"${commonWord}"*`) as number,
    rareWord,
    rareHits: hits.get(`"${rareWord}"*`) as number,
    rareWords: words.slice(VOCABULARY / 4, VOCABULARY),
  };
  sqlite.close();
  execFileSync('sync');
  return { ...fixture, buildMs: Math.round(performance.now() - started) };
}
