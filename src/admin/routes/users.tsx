import { Hono } from "hono";
import { toUserPage } from "../../schemas/admin";
import { AdminUserListQuery } from "../../schemas/admin-site";
import { listUsersFor, loadTarget } from "../../services/administration";
import { type AdminEnv, adminContext, staffOf } from "../context";
import { renderPage } from "../render";
import { renderUserPage } from "../user-page";
import { displayName } from "../views/format";
import { DeletePage } from "../views/user-page";
import { UsersPage } from "../views/users-page";

/** Ids in paths: digits only, short enough to stay an exact number. */
export const USER_ID = ":id{[0-9]{1,15}}";

/** The pages that show users: the list, one user, and the confirmation before a deletion. */
export const userPages = new Hono<AdminEnv>()
  .get("/", async (c) => {
    const query = AdminUserListQuery.parse(c.req.query());
    const ctx = adminContext(c);
    const { users, total } = await listUsersFor(ctx, toUserPage(query));
    return renderPage(c, "Users", <UsersPage query={query} users={users} total={total} roles={ctx.roles} />);
  })
  .get(`/${USER_ID}`, (c) => renderUserPage(c, Number(c.req.param("id"))))
  .get(`/${USER_ID}/delete`, async (c) => {
    const user = await loadTarget(adminContext(c), Number(c.req.param("id")), "delete_user");
    return renderPage(c, `Delete ${displayName(user)}`, <DeletePage user={user} csrfToken={staffOf(c).csrfToken} />);
  });
