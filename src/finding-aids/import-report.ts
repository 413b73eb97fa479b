import type { ImportEvent, Tally } from './bulk-import.ts';

// What `collections:import` and `collections:harvest` print. On a terminal, one progress line
// redrawn in place (a dozen lines of `\r`, not a dependency: one bar, no colours, nothing to
// configure), with failures printed above it so none is lost; otherwise (a log, a pipe) one line
// per document, which a script can read.

const BAR_WIDTH = 30;

export class ImportReport {
  private done = 0;
  private drawn = false;

  constructor(
    private readonly out: NodeJS.WritableStream & { isTTY?: boolean },
    /** "file" or "record". */
    private readonly unit: string,
    /** How many documents are coming, when known. */
    private readonly total: () => number | null,
  ) {}

  event(event: ImportEvent): void {
    this.done++;
    if (!this.out.isTTY) {
      this.out.write(`${line(event)}\n`);
      return;
    }
    if (event.kind !== 'imported') {
      this.clear();
      this.out.write(`${line(event)}\n`);
    }
    this.draw(event.source);
  }

  /** Clears the progress line and prints the run's totals. */
  summary(tally: Tally, seconds: number): void {
    this.clear();
    const { added, updated, unchanged, withdrawn } = tally.containers;
    const units = tally.imported + tally.failed + tally.deleted;
    this.out.write(
      `${plural(tally.imported, `${this.unit} imported`)}, ${tally.failed} failed${tally.deleted ? `, ${tally.deleted} deleted (skipped)` : ''}; ` +
        `${plural(tally.components, 'component')}; containers ${added} added, ${updated} updated, ${unchanged} unchanged, ${withdrawn} withdrawn; ` +
        `${seconds.toFixed(1)} s, ${(seconds > 0 ? units / seconds : 0).toFixed(1)} ${this.unit}s/s\n`,
    );
  }

  private draw(current: string) {
    const total = this.total();
    let progress = `${this.done} ${this.unit}s`;
    if (total) {
      const filled = Math.min(BAR_WIDTH, Math.round((this.done / total) * BAR_WIDTH));
      progress = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${this.done}/${total} ${this.unit}s`;
    }
    // One line, never wrapped (a wrapped line is not redrawn in place): a long path loses its start.
    const room = ((this.out as { columns?: number }).columns ?? 80) - 1 - progress.length - 2;
    const name = current.length <= room ? current : `…${current.slice(current.length - room + 1)}`;
    this.out.write(`\r${`${progress}  ${room > 1 ? name : ''}`.slice(0, room + progress.length + 2)}\x1b[K`);
    this.drawn = true;
  }

  private clear() {
    if (this.drawn) this.out.write('\r\x1b[K');
    this.drawn = false;
  }
}

const plural = (n: number, what: string) => `${n} ${what.replace(/^(\w+)/, n === 1 ? '$1' : '$1s')}`;

function line(event: ImportEvent): string {
  if (event.kind === 'failed') return `${event.source}: failed: ${event.message}`;
  if (event.kind === 'deleted') return `${event.source}: deleted in the repository, skipped`;
  const { result, callNumber } = event;
  const { added, updated, unchanged, withdrawn } = result.containers;
  return `${event.source}: ${callNumber} ${result.created ? 'created' : 'updated'}, ${plural(result.components, 'component')}, containers ${added} added, ${updated} updated, ${unchanged} unchanged, ${withdrawn} withdrawn`;
}
