/** What an import did (or, with --dry-run, would do). */
export interface ImportReport {
  dryRun: boolean;
  imported: number;
  updated: number;
  unchanged: number;
  /** Users not imported, with why (no email, a role outside ROLES, a username taken, ...). */
  skipped: { legacyId: number; email: string; reason: string }[];
  /** Users left alone because merging would guess: an email taken here or twice in Django. */
  conflicts: { legacyId: number; email: string; reason: string }[];
  /** Fields changed both in Django and here since the last run, kept as they are here. */
  keptHere: { email: string; fields: string[] }[];
  /** Users whose hash cannot be checked here: they must reset their password. */
  mustReset: { email: string; reason: string }[];
  tokens: { imported: number; unchanged: number; skipped: number };
  pictures: { stored: number; missing: string[]; refused: string[] };
}

export function emptyReport(dryRun: boolean): ImportReport {
  return {
    dryRun,
    imported: 0,
    updated: 0,
    unchanged: 0,
    skipped: [],
    conflicts: [],
    keptHere: [],
    mustReset: [],
    tokens: { imported: 0, unchanged: 0, skipped: 0 },
    pictures: { stored: 0, missing: [], refused: [] },
  };
}

/** Whether a run found anything to write. */
function hasWork(report: ImportReport): boolean {
  return report.imported + report.updated + report.tokens.imported + report.pictures.stored > 0;
}

const list = (items: { email: string; reason: string }[]) => items.map((item) => `  ${item.email}: ${item.reason}`);

/** The summary printed at the end of a run. */
export function describeReport(report: ImportReport): string {
  const would = report.dryRun ? "would be " : "";
  const lines = [
    report.dryRun ? "Dry run: nothing was written." : "",
    `Users: ${report.imported} ${would}imported, ${report.updated} ${would}updated, ${report.unchanged} unchanged, ` +
      `${report.skipped.length} skipped, ${report.conflicts.length} conflicts.`,
    ...(report.skipped.length ? ["Skipped:", ...list(report.skipped)] : []),
    ...(report.conflicts.length ? ["Conflicts (not merged):", ...list(report.conflicts)] : []),
    ...report.keptHere.map((kept) => `Kept as changed here: ${kept.email} (${kept.fields.join(", ")})`),
    `Hashes that need a reset: ${report.mustReset.length}`,
    ...list(report.mustReset),
    `Tokens: ${report.tokens.imported} ${would}imported, ${report.tokens.unchanged} unchanged, ` +
      `${report.tokens.skipped} skipped (their user was not imported).`,
    `Pictures: ${report.pictures.stored} ${would}stored, ${report.pictures.missing.length} missing, ` +
      `${report.pictures.refused.length} not an image.`,
    ...report.pictures.missing.map((path) => `  missing: ${path}`),
    ...report.pictures.refused.map((path) => `  not an image: ${path}`),
    hasWork(report) ? "" : "Nothing to do.",
  ];
  return lines.filter(Boolean).join("\n");
}
