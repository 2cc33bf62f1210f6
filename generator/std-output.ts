// stdout and stderr of the `zonal` program (bin.ts). Node's process.stdout for a pipe is a
// net.Socket: creating it loads node:net and sets up a libuv pipe, some 3 ms of every run. A
// command's output is a few lines, written whole, so pipes and files get them with write(2)
// directly; a terminal (and anything Node's stream is needed for: a pipe that would block) gets
// Node's stream, created on first use.
import { fstatSync, writeSync } from 'node:fs';

type Fd = 1 | 2;

/** A file, pipe or socket: not a terminal, so write(2) needs no tty handling. */
function writesDirectly(fd: Fd): boolean {
  try {
    const st = fstatSync(fd);
    return !st.isCharacterDevice();
  } catch {
    return false; // closed or unusual: Node's stream reports it as it always did
  }
}

/**
 * A reader that stops early (`zonal simulate --json | head`) closes the pipe: the rest of the
 * output has nowhere to go, which is not the command's failure, so the process ends quietly, as a
 * shell tool killed by SIGPIPE would, instead of with Node's unhandled-error trace.
 */
function endQuietly(): never {
  process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
}

/** One of the two outputs. */
export class StdOutput {
  private readonly direct: boolean;
  private stream: NodeJS.WriteStream | undefined;

  constructor(private readonly fd: Fd) {
    this.direct = writesDirectly(fd);
  }

  /** Writes `text`; once Node's stream is in use, everything goes through it, in order. */
  write(text: string): void {
    if (!this.direct || this.stream) {
      this.streamOf().write(text);
      return;
    }
    const bytes = Buffer.from(text, 'utf8');
    let done = 0;
    while (done < bytes.length) {
      try {
        done += writeSync(this.fd, bytes, done);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') endQuietly();
        // A non-blocking pipe that is full: Node's stream waits for it.
        if (code === 'EAGAIN') {
          this.streamOf().write(bytes.subarray(done));
          return;
        }
        throw err;
      }
    }
  }

  /** Whether this is a terminal (Node's stream is created to ask, only for a character device). */
  get isTTY(): boolean {
    return !this.direct && Boolean(this.streamOf().isTTY);
  }

  /** The terminal's width, when it is one. */
  get columns(): number | undefined {
    return this.isTTY ? this.streamOf().columns : undefined;
  }

  /** Calls `done` once everything written so far has been handed on. */
  flushed(done: () => void): void {
    if (this.stream) this.stream.write('', done);
    else done(); // write(2) has returned: the bytes are in the pipe or the file
  }

  private streamOf(): NodeJS.WriteStream {
    if (!this.stream) {
      this.stream = this.fd === 1 ? process.stdout : process.stderr;
      this.stream.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code !== 'EPIPE') throw err;
        endQuietly();
      });
    }
    return this.stream;
  }
}

export const stdout = new StdOutput(1);
export const stderr = new StdOutput(2);

/** Calls `done` once stdout and stderr have handed on everything written to them. */
export function whenWritten(done: () => void): void {
  stdout.flushed(() => stderr.flushed(done));
}
