/**
 * When V8 compiles a function with its optimising compilers, for the `zonal` executable (cli.ts).
 * V8's defaults (Maglev after 400 calls, Turbofan after 3,000) suit programs that run for minutes.
 * A `zonal generate` of 100 services runs for a tenth of a second and its optimised code barely
 * ran before the process ended: it compiled some 200 functions (112 ms of compile time on the
 * background thread) and then waited for the compile in flight when it exited. Later tiers keep
 * the optimising compilers for what is really hot: measured side by side, 100 services took 119 ms
 * instead of 133 ms (CPU 153 ms instead of 196 ms), and 1,000 and 5,000 services took as long as
 * before (their hot functions are called far more often than these counts).
 *
 * Turbofan's count was 20,000 at first. V8 counts a call as the function's size in bytecode run,
 * so a long loop counts as many calls: at 100 services toHelmYaml still reached Turbofan, and exit
 * waited for that compile (Node joins V8's threads before the process ends; seen in `perf`
 * samples after process.exit). At 50,000 a 100-service run compiles nothing with Turbofan:
 * 111 ms instead of 114 ms (median of 41), and 1,000 services took 590 ms instead of 622 ms
 * (CPU 627 vs 693 ms); 5,000 services as before.
 */
const FLAGS = '--invocation-count-for-maglev=2000 --invocation-count-for-turbofan=50000';

/**
 * The flags for this V8, or undefined where their names are not known to hold: V8 prints an error
 * on stderr for a flag it does not have, and renames tiering flags from time to time. V8 13 is
 * Node 24's (the version package.json's engines and the pinned runtime name).
 */
export function tieringFlags(v8Version: string): string | undefined {
  return /^13\./.test(v8Version) ? FLAGS : undefined;
}
