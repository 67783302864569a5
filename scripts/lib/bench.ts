/** Runs `run` N times one after another and prints the median, min and max latency. */
export async function median(label: string, runs: number, run: () => Promise<unknown>): Promise<number> {
  const timings: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await run();
    timings.push(performance.now() - start);
  }
  timings.sort((a, b) => a - b);
  const middle = timings[Math.floor(runs / 2)] ?? Number.NaN;
  console.log(
    `${label}: median ${middle.toFixed(1)} ms over ${runs} (min ${timings[0]?.toFixed(1)}, max ${timings.at(-1)?.toFixed(1)})`,
  );
  return middle;
}

/** What one request of a scenario answered, as far as the bench cares. */
export interface Answer {
  status: number;
  /** KV reads the Worker reported (`Server-Timing: kv-reads;desc=N`), if it counts them. */
  kvReads?: number;
}

/** Latencies of a load run, in milliseconds, sorted, and how long the run took. */
export interface LoadRun {
  latencies: number[];
  seconds: number;
  kvReads?: number;
}

/**
 * Sends `requests` requests over `connections` concurrent connections (keep-alive, each waiting for
 * its answer before sending the next); `send(slot)` sends one for connection `slot`, so a scenario
 * can keep state per connection (a refresh token that each answer replaces).
 */
export async function load(
  connections: number,
  requests: number,
  send: (slot: number) => Promise<Answer>,
): Promise<LoadRun> {
  const latencies: number[] = [];
  let left = requests;
  let kvReads: number | undefined;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(connections, requests) }, async (_, slot) => {
      while (left > 0) {
        left--;
        const start = performance.now();
        const answer = await send(slot);
        latencies.push(performance.now() - start);
        if (answer.kvReads !== undefined) kvReads = (kvReads ?? 0) + answer.kvReads;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { latencies: latencies.sort((a, b) => a - b), seconds, kvReads };
}

/** The p-th percentile (0-100) of sorted values, nearest rank. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** `Server-Timing: kv-reads;desc=N` (middleware/services.ts), or undefined when the Worker does not count. */
export function kvReadsOf(response: Response): number | undefined {
  const match = /(?:^|,)\s*kv-reads;desc=(\d+)/.exec(response.headers.get("Server-Timing") ?? "");
  return match ? Number(match[1]) : undefined;
}

/** A markdown table: the header row, then one row per entry. */
export function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? "---" : "---:"))), ...rows.map(line)].join("\n");
}
