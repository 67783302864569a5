import type { User } from "../../db/schema";

/** `2026-11-21 11:48 UTC`: every time on the site is UTC, as stored. */
export function formatTime(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** How the site names a user: their name, else their email. */
export function displayName(user: Pick<User, "fullName" | "email">): string {
  return user.fullName || user.email;
}

export const yesNo = (value: boolean) => (value ? "Yes" : "No");

export const userPath = (id: number) => `/admin/users/${id}`;

/** A UTC time, machine-readable too; `never` when there is none. */
export function Time({ date, never = "Never" }: { date: Date | null; never?: string }) {
  return date ? <time datetime={date.toISOString()}>{formatTime(date)}</time> : never;
}
