import type { User } from "../../db/schema";
import type { UserOrdering } from "../../db/user-list";
import { type AdminUserListQuery, DEFAULT_PAGE_SIZE } from "../../schemas/admin-site";
import { type Choice, SelectField, TextField } from "./fields";
import { Time, userPath, yesNo } from "./format";

type SortKey = "email" | "created_at" | "last_login";

/** The users page's URL for `query` with some parameters changed; defaults are left out. */
export function usersUrl(query: AdminUserListQuery, changes: Partial<AdminUserListQuery> = {}): string {
  const merged = { ...query, ...changes };
  const params = new URLSearchParams();
  if (merged.search) params.set("search", merged.search);
  if (merged.role) params.set("role", merged.role);
  if (merged.is_active !== undefined) params.set("is_active", String(merged.is_active));
  if (merged.is_staff !== undefined) params.set("is_staff", String(merged.is_staff));
  if (merged.ordering !== "-created_at") params.set("ordering", merged.ordering);
  if (merged.page !== 1) params.set("page", String(merged.page));
  if (merged.limit !== DEFAULT_PAGE_SIZE) params.set("limit", String(merged.limit));
  const search = params.toString();
  return `/admin/users${search ? `?${search}` : ""}`;
}

/** A column header that sorts by its column, and says how the table is sorted now (aria-sort). */
function SortHeader({ query, column, label }: { query: AdminUserListQuery; column: SortKey; label: string }) {
  const ascending = query.ordering === column;
  const descending = query.ordering === `-${column}`;
  // A first click on a date shows the newest first; on the email, A to Z.
  const firstOrder = (column === "email" ? column : `-${column}`) as UserOrdering;
  const next = (ascending ? `-${column}` : descending ? column : firstOrder) as UserOrdering;
  const state = ascending ? "ascending" : descending ? "descending" : undefined;
  return (
    <th scope="col" aria-sort={state}>
      <a href={usersUrl(query, { ordering: next, page: 1 })}>
        {label}
        {state && <span aria-hidden="true">{ascending ? " ▲" : " ▼"}</span>}
        <span class="visually-hidden">{state ? `, sorted ${state}; sort the other way` : ", sort by this column"}</span>
      </a>
    </th>
  );
}

const ANY: Choice = { value: "", label: "Any" };
const YES_NO: readonly Choice[] = [ANY, { value: "true", label: "Yes" }, { value: "false", label: "No" }];
const PAGE_SIZES: readonly Choice[] = ["20", "50", "100"].map((value) => ({ value, label: value }));
const flagValue = (flag: boolean | undefined) => (flag === undefined ? "" : String(flag));

function Filters({ query, roles }: { query: AdminUserListQuery; roles: readonly string[] }) {
  return (
    <search class="card" aria-label="Search and filter users">
      <form method="get" action="/admin/users">
        <div class="filters">
          <TextField name="search" label="Search email or name" type="search" value={query.search} />
          <SelectField
            name="role"
            label="Role"
            value={query.role ?? ""}
            choices={[ANY, ...roles.map((role) => ({ value: role, label: role }))]}
          />
          <SelectField name="is_active" label="Active" value={flagValue(query.is_active)} choices={YES_NO} />
          <SelectField name="is_staff" label="Staff" value={flagValue(query.is_staff)} choices={YES_NO} />
          <SelectField name="limit" label="Per page" value={String(query.limit)} choices={PAGE_SIZES} />
        </div>
        <input type="hidden" name="ordering" value={query.ordering} />
        <div class="actions">
          <button type="submit" class="button">
            Apply
          </button>
          <a href="/admin/users">Clear filters</a>
        </div>
      </form>
    </search>
  );
}

function Pagination({ query, total }: { query: AdminUserListQuery; total: number }) {
  const pages = Math.max(1, Math.ceil(total / query.limit));
  if (pages === 1 && query.page === 1) return null;
  return (
    <nav class="pagination" aria-label="Pages">
      {query.page > 1 && <a href={usersUrl(query, { page: Math.min(query.page - 1, pages) })}>Previous page</a>}
      <span>
        Page {query.page} of {pages}
      </span>
      {query.page < pages && <a href={usersUrl(query, { page: query.page + 1 })}>Next page</a>}
    </nav>
  );
}

export function UsersPage(props: {
  query: AdminUserListQuery;
  users: User[];
  total: number;
  roles: readonly string[];
}) {
  const { query, users, total, roles } = props;
  const first = (query.page - 1) * query.limit + 1;
  const summary =
    users.length === 0
      ? total === 0
        ? "No users match."
        : `No users on this page; ${total} match in all.`
      : `Showing ${first}–${first + users.length - 1} of ${total}`;
  return (
    <>
      <h1>Users</h1>
      <Filters query={query} roles={roles} />
      <p class="summary" id="users-summary">
        {summary}
      </p>
      {/* Focusable, so that a keyboard can scroll the table where it is wider than the screen. */}
      <section class="table-wrap" aria-label="Users table" tabindex={0}>
        <table aria-describedby="users-summary">
          <caption class="visually-hidden">Users</caption>
          <thead>
            <tr>
              <SortHeader query={query} column="email" label="Email" />
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Active</th>
              <th scope="col">Staff</th>
              <SortHeader query={query} column="created_at" label="Joined" />
              <SortHeader query={query} column="last_login" label="Last login" />
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <tr>
                <th scope="row">
                  <a href={userPath(user.id)}>{user.email}</a>
                </th>
                <td>{user.fullName}</td>
                <td>{user.role}</td>
                <td>{yesNo(user.isActive)}</td>
                <td>{user.isSuperuser ? "Superuser" : yesNo(user.isStaff)}</td>
                <td>
                  <Time date={user.createdAt} />
                </td>
                <td>
                  <Time date={user.lastLogin} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <Pagination query={query} total={total} />
    </>
  );
}
