import type { AuditChanges, StoredAuditEntry } from "../../db/audit";
import { Time } from "./format";

export interface AuditPage {
  entries: StoredAuditEntry[];
  total: number;
  page: number;
  pageSize: number;
}

function showValue(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (value === "") return "(empty)";
  return typeof value === "string" ? value : JSON.stringify(value);
}

function Changes({ changes }: { changes: AuditChanges }) {
  return (
    <ul>
      {Object.entries(changes).map(([field, { before, after }]) => (
        <li>
          {field}: {showValue(before)} → {showValue(after)}
        </li>
      ))}
    </ul>
  );
}

/** Who changed what about this user, newest first, a page at a time. */
export function AuditTrail({ audit, basePath }: { audit: AuditPage; basePath: string }) {
  const pages = Math.max(1, Math.ceil(audit.total / audit.pageSize));
  const link = (page: number) => `${basePath}?audit_page=${page}#audit-heading`;
  return (
    <section class="card audit" aria-labelledby="audit-heading">
      <h2 id="audit-heading">Audit trail</h2>
      {audit.total === 0 ? (
        <p>No changes have been recorded for this user.</p>
      ) : (
        <>
          <p class="summary">
            {audit.total} {audit.total === 1 ? "entry" : "entries"}, newest first.
          </p>
          <ol>
            {audit.entries.map((entry) => (
              <li>
                <Time date={entry.createdAt} /> <strong>{entry.actorEmail}</strong>{" "}
                <span class="badge">{entry.action}</span>
                <Changes changes={entry.changes} />
              </li>
            ))}
          </ol>
          {pages > 1 && (
            <nav class="pagination" aria-label="Audit trail pages">
              {audit.page > 1 && <a href={link(audit.page - 1)}>Newer entries</a>}
              <span>
                Page {audit.page} of {pages}
              </span>
              {audit.page < pages && <a href={link(audit.page + 1)}>Older entries</a>}
            </nav>
          )}
        </>
      )}
    </section>
  );
}
