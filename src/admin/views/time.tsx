import { formatTime } from "./format";

/** A UTC time, machine-readable too; `never` when there is none. */
export function Time({ date, never = "Never" }: { date: Date | null; never?: string }) {
  return date ? <time datetime={date.toISOString()}>{formatTime(date)}</time> : never;
}
