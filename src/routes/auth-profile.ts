import { Hono } from "hono";
import type { AppEnv } from "../env";
import { authenticate } from "../middleware/authenticate";
import { validate } from "../middleware/validate";
import { ChangePasswordBody, ProfilePatch, ProfilePut } from "../schemas/account-requests";
import { envelope, toAuthProfile, toAuthUser } from "../schemas/responses";
import { changePassword, updateProfile } from "../services/accounts";

const PROFILE_UPDATED = "Profile updated successfully";

/** `/auth/profile/` and `/auth/change-password/`: the caller's own account. */
export const authProfile = new Hono<AppEnv>()
  .get("/profile", authenticate, (c) => c.json(envelope(toAuthProfile(c.var.user, c.req.url))))
  .put("/profile", authenticate, validate("json", ProfilePut), async (c) => {
    const user = await updateProfile(c.var.services.db, c.var.user, c.req.valid("json"));
    return c.json(envelope(toAuthUser(user, c.req.url), PROFILE_UPDATED));
  })
  .patch("/profile", authenticate, validate("json", ProfilePatch), async (c) => {
    const user = await updateProfile(c.var.services.db, c.var.user, c.req.valid("json"));
    return c.json(envelope(toAuthUser(user, c.req.url), PROFILE_UPDATED));
  })
  .post("/change-password", authenticate, validate("json", ChangePasswordBody), async (c) => {
    await changePassword(c.var.services, c.var.user, c.req.valid("json"));
    return c.json(envelope(undefined, "Password changed successfully"));
  });
