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
