/**
 * CloudWatch Logs wrappers around flow-log records: JSON lines (`{"message": "<record>", ...}`),
 * subscription payloads (`{"logEvents": [{"message": ...}, ...]}`), one-line or pretty-printed
 * `aws logs filter-log-events` output (`{"events": [...]}` or a bare array). They are unwrapped
 * into record texts here; the scanner runs each through its byte path.
 *
 * Each event stands alone: one malformed event is one skipped line, the payload's other events
 * still count.
 */

/** One item of a wrapper: a record text, or why the event holds none. */
export type Unwrapped =
  | { readonly message: string; readonly index: number }
  | { readonly problem: string; readonly index: number; readonly text: string };

/**
 * An event's JSON for the skipped-line note. An event nested deeper than JSON.stringify's stack
 * (a hostile or broken file) is described, not stringified.
 */
function eventText(e: unknown): string {
  try {
    return JSON.stringify(e) ?? '';
  } catch {
    return '(an event nested too deep to show)';
  }
}

/** Position of an event inside its wrapper: 1-based. */
function eventsOf(list: readonly unknown[]): Unwrapped[] {
  return list.map((e, k) => {
    const m = (e as { message?: unknown } | null)?.message;
    return typeof m === 'string'
      ? { message: m, index: k + 1 }
      : { problem: `event ${k + 1} has no "message" string`, index: k + 1, text: eventText(e) };
  });
}

/**
 * The records one JSON line holds, or a problem for the whole line (not JSON, no message and no
 * event list).
 */
export function unwrapJsonLine(text: string): { readonly items: Unwrapped[] } | { readonly problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'not valid JSON' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { problem: 'JSON line without a "message"' };
  const v = value as { message?: unknown; logEvents?: unknown; events?: unknown };
  if (typeof v.message === 'string') return { items: [{ message: v.message, index: 1 }] };
  // a CloudWatch subscription payload (logEvents) or a one-line filter-log-events output (events)
  const list = Array.isArray(v.logEvents) ? v.logEvents : Array.isArray(v.events) ? v.events : undefined;
  if (!list) return { problem: 'JSON line without a "message"' };
  return { items: eventsOf(list) };
}

/** The records of a whole JSON document (`aws logs filter-log-events` output), or its problem. */
export function unwrapDocument(text: string): { readonly items: Unwrapped[] } | { readonly problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { problem: `not a flow-log JSON document (${(err as Error).message})` };
  }
  const events = Array.isArray(value) ? value : (value as { events?: unknown } | null)?.events;
  if (!Array.isArray(events)) return { problem: 'JSON document without an "events" list' };
  return { items: eventsOf(events) };
}

/** Whether a file's first line opens a pretty-printed JSON document (`{` alone, or `[`...). */
export function opensDocument(firstLine: string): boolean {
  const first = firstLine.trim();
  return first === '{' || first.startsWith('[');
}
