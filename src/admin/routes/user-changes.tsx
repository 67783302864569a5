import { type Context, Hono } from "hono";
import { ApiError } from "../../errors";
import { AdminPasswordForm, AdminUserForm } from "../../schemas/admin-site";
import { toFieldErrors } from "../../schemas/messages";
import {
  confirmRoleAsAdmin,
  deleteUserAsAdmin,
  revokeSessionsAsAdmin,
  setPasswordAsAdmin,
  type UserChanges,
  updateUserAsAdmin,
} from "../../services/administration";
import { type FieldErrors, ValidationFailed } from "../../services/validation";
import { type AdminEnv, adminContext } from "../context";
import { setFlash } from "../cookies";
import { readForm } from "../forms";
import { renderUserPage } from "../user-page";
import { userPath } from "../views/format";
import { USER_ID } from "./users";

const idOf = (c: Context) => Number(c.req.param("id"));

/**
 * Answers a change the way a form expects (POST, redirect, GET): success goes to `done` with a
 * flash message; a guard rail (409, e.g. the last superuser) goes back with the reason as a flash
 * error; field errors show the form again. A 403 or 404 becomes its page in the error renderer.
 */
async function answer(
  c: Context<AdminEnv>,
  to: { done: string; back: string },
  change: () => Promise<string>,
  showInvalid?: (errors: FieldErrors) => Promise<Response>,
): Promise<Response> {
  try {
    setFlash(c, { kind: "success", text: await change() });
    return c.redirect(to.done, 303);
  } catch (error) {
    if (error instanceof ValidationFailed && showInvalid) return showInvalid(error.errors);
    if (!(error instanceof ApiError && error.code === "CONFLICT")) throw error;
    setFlash(c, { kind: "error", text: error.message });
    return c.redirect(to.back, 303);
  }
}

/** The form's changes in the service's terms; flags the form left out stay as they are. */
function toChanges(form: AdminUserForm): UserChanges {
  const changes: UserChanges = {
    firstName: form.first_name,
    lastName: form.last_name,
    email: form.email,
    role: form.role,
    bio: form.bio,
    isActive: form.is_active,
    isStaff: form.is_staff,
    isSuperuser: form.is_superuser,
  };
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
}

/** The user page's forms; every change goes through the administration services and their audit. */
export const userChanges = new Hono<AdminEnv>()
  .post(`/${USER_ID}`, async (c) => {
    const id = idOf(c);
    const submitted = await readForm(c);
    const showInvalid = (errors: FieldErrors) => renderUserPage(c, id, { edit: { submitted, errors } }, 400);
    const parsed = AdminUserForm.safeParse(submitted);
    if (!parsed.success) return showInvalid(toFieldErrors(parsed.error));
    const here = { done: userPath(id), back: userPath(id) };
    return answer(
      c,
      here,
      async () => {
        const user = await updateUserAsAdmin(adminContext(c), id, toChanges(parsed.data));
        return `Saved the changes to ${user.email}.`;
      },
      showInvalid,
    );
  })
  .post(`/${USER_ID}/password`, async (c) => {
    const id = idOf(c);
    const showInvalid = (errors: FieldErrors) => renderUserPage(c, id, { password: { errors } }, 400);
    const parsed = AdminPasswordForm.safeParse(await readForm(c));
    if (!parsed.success) return showInvalid(toFieldErrors(parsed.error));
    const here = { done: userPath(id), back: userPath(id) };
    return answer(
      c,
      here,
      async () => {
        await setPasswordAsAdmin(adminContext(c), id, parsed.data);
        return "The password was changed, and the user signed out everywhere.";
      },
      showInvalid,
    );
  })
  .post(`/${USER_ID}/confirm-role`, (c) => {
    const id = idOf(c);
    return answer(c, { done: userPath(id), back: userPath(id) }, async () => {
      const { role, email } = await confirmRoleAsAdmin(adminContext(c), id);
      return `Confirmed the ${role} role of ${email}.`;
    });
  })
  .post(`/${USER_ID}/revoke-sessions`, (c) => {
    const id = idOf(c);
    return answer(c, { done: userPath(id), back: userPath(id) }, async () => {
      await revokeSessionsAsAdmin(adminContext(c), id);
      return "The user was signed out everywhere.";
    });
  })
  .post(`/${USER_ID}/delete`, (c) => {
    const id = idOf(c);
    return answer(c, { done: "/admin/users", back: userPath(id) }, async () => {
      const { email } = await deleteUserAsAdmin(adminContext(c), id);
      return `Deleted the user ${email}.`;
    });
  });
