/**
 * Progress of long runs (generate, report, flowlogs analyze): a cli-progress bar on stderr, only
 * when stdout and stderr are terminals (`CommandIO.tty`) and `--quiet` is not given, so pipes,
 * files, CI logs and tests get nothing extra. Commands report stages and units of work; domain
 * modules only call back (`onProgress`), they never print.
 */
import { createRequire } from 'node:module';
import type { CommandIO } from '../command.js';

export interface Progress {
  /** Starts (or restarts) the bar: what is being done and how many units there are. */
  start(label: string, total: number): void;
  /** Sets the units done so far. */
  update(done: number): void;
  /** Adds `n` units. */
  tick(n?: number): void;
  /** Removes the bar (the command's own output follows on a clean line). */
  stop(): void;
}

/** Shown nowhere: not a terminal, or --quiet. */
export const NO_PROGRESS: Progress = { start() {}, update() {}, tick() {}, stop() {} };

/** The part of cli-progress zonal uses (loaded only when a bar is shown). */
interface Bar {
  start(total: number, value: number, payload?: object): void;
  update(value: number, payload?: object): void;
  increment(n: number): void;
  setTotal(total: number): void;
  stop(): void;
}

/** A stream for cli-progress that writes through the command's stderr (a terminal: see CommandIO.tty). */
function terminalOf(io: CommandIO) {
  return {
    isTTY: true,
    columns: io.columns ?? 80,
    write(text: string): boolean {
      io.stderr(text);
      return true;
    },
  };
}

/** A progress bar for `command` when the output is a terminal and not --quiet, else NO_PROGRESS. */
export function progressFor(io: CommandIO, command: string, quiet: boolean | undefined): Progress {
  if (quiet || !io.tty) return NO_PROGRESS;
  const cliProgress = createRequire(import.meta.url)('cli-progress') as {
    SingleBar: new (options: object, preset?: object) => Bar;
    Presets: { shades_classic: object };
  };
  let bar: Bar | undefined;
  let done = 0;
  return {
    start(label, total) {
      bar?.stop();
      done = 0;
      bar = new cliProgress.SingleBar({
        stream: terminalOf(io),
        format: `zonal ${command}: {label} [{bar}] {percentage}% | {value}/{total}`,
        hideCursor: false,
        clearOnComplete: true,
        // generate works synchronously: redraw from update() instead of waiting for a timer.
        synchronousUpdate: true,
        throttleTime: 100,
        etaBuffer: 20,
      }, cliProgress.Presets.shades_classic);
      bar.start(Math.max(1, total), 0, { label });
    },
    update(value) {
      done = value;
      bar?.update(value);
    },
    tick(n = 1) {
      done += n;
      bar?.update(done);
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

/** An `onProgress(doneBytes, totalBytes)` callback that drives `progress` in MiB. */
export function bytesProgress(progress: Progress, label = 'reading flow logs'): (done: number, total: number) => void {
  const MiB = 1024 * 1024;
  let started = false;
  return (done, total) => {
    if (!started) {
      progress.start(`${label} (MiB)`, Math.ceil(total / MiB));
      started = true;
    }
    progress.update(Math.floor(done / MiB));
  };
}
