import { and, asc, count, desc, eq, inArray, like, or, type SQL } from "drizzle-orm";
import type { Executor } from "./client";
import { type User, users } from "./schema";

export const USER_ORDERINGS = ["created_at", "-created_at", "email", "-email", "last_login", "-last_login"] as const;
export type UserOrdering = (typeof USER_ORDERINGS)[number];

export interface UserListQuery {
  /** Restricts to these roles (a staff role's scope); undefined means every role. */
  roles?: readonly string[];
  role?: string;
  isActive?: boolean;
  isStaff?: boolean;
  /** A substring of the email or a name. */
  search?: string;
  ordering: UserOrdering;
  limit: number;
  offset: number;
}

const ORDER_COLUMNS = { created_at: users.createdAt, email: users.emailNormalized, last_login: users.lastLogin };

/** `%` and `_` in a search are meant literally. */
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

function filters(query: UserListQuery): SQL | undefined {
  const pattern = query.search ? `%${escapeLike(query.search)}%` : undefined;
  return and(
    query.roles ? inArray(users.role, [...query.roles]) : undefined,
    query.role !== undefined ? eq(users.role, query.role) : undefined,
    query.isActive !== undefined ? eq(users.isActive, query.isActive) : undefined,
    query.isStaff !== undefined ? eq(users.isStaff, query.isStaff) : undefined,
    pattern
      ? or(
          like(users.emailNormalized, pattern.toLowerCase()),
          like(users.fullName, pattern),
          like(users.firstName, pattern),
          like(users.lastName, pattern),
        )
      : undefined,
  );
}

/** One page of users and the total that match, the two queries sent together. */
export async function listUsers(db: Executor, query: UserListQuery): Promise<{ users: User[]; total: number }> {
  const where = filters(query);
  const descending = query.ordering.startsWith("-");
  const column = ORDER_COLUMNS[query.ordering.replace("-", "") as keyof typeof ORDER_COLUMNS];
  const direction = descending ? desc : asc;
  const [page, [totals]] = await Promise.all([
    db
      .select()
      .from(users)
      .where(where)
      .orderBy(direction(column), direction(users.id))
      .limit(query.limit)
      .offset(query.offset),
    db.select({ total: count() }).from(users).where(where),
  ]);
  return { users: page, total: totals?.total ?? 0 };
}
