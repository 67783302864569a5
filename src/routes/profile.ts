import { Hono } from "hono";
import type { AppEnv } from "../env";
import { envelope } from "../envelope";
import { authenticate } from "../middleware/authenticate";
import { validate } from "../middleware/validate";
import { ChangePasswordBody, ProfilePatch, ProfilePut } from "../schemas/auth";
import { toAuthProfile, toAuthUser } from "../schemas/users";
import { changePassword, updateProfile } from "../services/accounts";

const PROFILE_UPDATED = "Profile updated successfully";

export const profile = new Hono<AppEnv>()
  .get("/profile", authenticate, (c) => c.json(envelope(toAuthProfile(c.var.user))))
  .put("/profile", authenticate, validate("json", ProfilePut), async (c) => {
    const user = await updateProfile(c.var.db, c.var.user, c.req.valid("json"));
    return c.json(envelope(toAuthUser(user), PROFILE_UPDATED));
  })
  .patch("/profile", authenticate, validate("json", ProfilePatch), async (c) => {
    const user = await updateProfile(c.var.db, c.var.user, c.req.valid("json"));
    return c.json(envelope(toAuthUser(user), PROFILE_UPDATED));
  })
  .post("/change-password", authenticate, validate("json", ChangePasswordBody), async (c) => {
    const body = c.req.valid("json");
    await changePassword(c.var.db, c.var.user, {
      oldPassword: body.old_password,
      newPassword: body.new_password,
      newPasswordConfirm: body.new_password_confirm,
    });
    return c.json(envelope(undefined, "Password changed successfully"));
  });
