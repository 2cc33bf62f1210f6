// A client of `zonal-istio-oracle serve`: one long-lived process answering JSON-line requests, so
// thousands of configurations cost one start-up.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';

export class Oracle {
  /** @param {{binary: string, crds: string}} build */
  constructor(build) {
    this.next = 0;
    this.pending = new Map();
    this.stderr = '';
    this.proc = spawn(build.binary, ['serve', '--crds', build.crds], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, TARGET_OUT: tmpdir(), LOCAL_OUT: tmpdir() },
    });
    this.proc.stderr.on('data', (d) => { this.stderr = (this.stderr + d).slice(-4000); });
    this.proc.on('exit', (code, signal) => {
      const err = Object.assign(new Error(`zonal-istio-oracle exited (${signal ?? code}): ${this.stderr.trim()}`), { oracle: true });
      for (const { reject } of this.pending.values()) reject(err);
      this.pending.clear();
      this.exited = err;
    });
    createInterface({ input: this.proc.stdout }).on('line', (line) => {
      let msg;
      try { msg = JSON.parse(line); } catch { return; }
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(Object.assign(new Error(`zonal-istio-oracle: ${msg.error}`), { oracle: true }));
      else p.resolve(msg.result);
    });
  }

  /**
   * @param {'validate'|'analyze'|'endpoints'} command
   * @param {string} yaml multi-document YAML
   * @param {{zone: string, labels?: Record<string,string>, namespace?: string}[]} [proxies]
   */
  request(command, yaml, proxies) {
    if (this.exited) return Promise.reject(this.exited);
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.proc.stdin.write(`${JSON.stringify({ id, command, yaml, ...(proxies ? { proxies } : {}) })}\n`);
    });
  }

  close() {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => {
      this.proc.once('exit', () => resolve());
      this.proc.stdin.end();
    });
  }
}
