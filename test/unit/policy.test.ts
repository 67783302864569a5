import { describe, expect, it } from "vitest";
import { ACTIONS, type Action, can, type Principal } from "../../src/services/policy";

const SCOPES = { teacher: ["student"], doctor: ["patient"] };
const CONFIRMED = { roleConfirmedAt: new Date("2025-01-01T00:00:00Z") };

let nextId = 1;
const principal = (role: string, flags: Partial<Principal> = {}): Principal => ({
  id: nextId++,
  role,
  isActive: true,
  isStaff: false,
  isSuperuser: false,
  roleConfirmedAt: null,
  ...flags,
});

// Staff roles come twice: as registration leaves them (unconfirmed) and once an administrator has
// confirmed them. Only a confirmed one carries its scope.
const ACTORS = {
  student: principal("student"),
  patient: principal("patient"),
  teacher: principal("teacher"),
  doctor: principal("doctor"),
  confirmedTeacher: principal("teacher", CONFIRMED),
  confirmedDoctor: principal("doctor", CONFIRMED),
  inactiveConfirmedDoctor: principal("doctor", { ...CONFIRMED, isActive: false }),
  admin: principal("admin"),
  staff: principal("teacher", { isStaff: true }),
  superuser: principal("admin", { isStaff: true, isSuperuser: true }),
  inactiveSuperuser: principal("admin", { isStaff: true, isSuperuser: true, isActive: false }),
};

// Target columns, in this order; "self" is the actor itself.
const TARGETS = ["student", "teacher", "doctor", "patient", "admin", "superuser", "self"] as const;
const targetFor = (actor: Principal, column: (typeof TARGETS)[number]) =>
  column === "self" ? actor : column === "superuser" ? ACTORS.superuser : principal(column);

// The whole matrix, written out: one row per actor and action, one mark per target column
// (x allowed, . refused). Actions without a target use the first mark for all columns.
const ALL = "xxxxxxx";
const NONE = ".......";
const SELF = "......x";
const MANAGE = "xxxx..x";
// biome-ignore format: one actor per line reads as a table.
const EXPECTED: Record<keyof typeof ACTORS, Record<Action, string>> = {
  // Columns of each mark string: student teacher doctor patient admin superuser self.
  student:                 { list_users: NONE, view_audit: NONE, view_user: SELF,      update_user: NONE,   grant_privileges: NONE, confirm_role: NONE,   delete_user: NONE,   revoke_sessions: NONE,   set_password: NONE, send_password_reset: NONE, verify_email: NONE },
  patient:                 { list_users: NONE, view_audit: NONE, view_user: SELF,      update_user: NONE,   grant_privileges: NONE, confirm_role: NONE,   delete_user: NONE,   revoke_sessions: NONE,   set_password: NONE, send_password_reset: NONE, verify_email: NONE },
  teacher:                 { list_users: NONE, view_audit: NONE, view_user: SELF,      update_user: NONE,   grant_privileges: NONE, confirm_role: NONE,   delete_user: NONE,   revoke_sessions: NONE,   set_password: NONE, send_password_reset: NONE, verify_email: NONE },
  doctor:                  { list_users: NONE, view_audit: NONE, view_user: SELF,      update_user: NONE,   grant_privileges: NONE, confirm_role: NONE,   delete_user: NONE,   revoke_sessions: NONE,   set_password: NONE, send_password_reset: NONE, verify_email: NONE },
  confirmedTeacher:        { list_users: ALL,  view_audit: NONE, view_user: "x.....x", update_user: NONE,   grant_privileges: NONE, confirm_role: NONE,   delete_user: NONE,   revoke_sessions: NONE,   set_password: NONE, send_password_reset: NONE, verify_email: NONE },
  confirmedDoctor:         { list_users: ALL,  view_audit: NONE, view_user: "...x..x", update_user: NONE,   grant_privileges: NONE, confirm_role: NONE,   delete_user: NONE,   revoke_sessions: NONE,   set_password: NONE, send_password_reset: NONE, verify_email: NONE },
  inactiveConfirmedDoctor: { list_users: NONE, view_audit: NONE, view_user: NONE,      update_user: NONE,   grant_privileges: NONE, confirm_role: NONE,   delete_user: NONE,   revoke_sessions: NONE,   set_password: NONE, send_password_reset: NONE, verify_email: NONE },
  admin:                   { list_users: ALL,  view_audit: ALL,  view_user: ALL,       update_user: MANAGE, grant_privileges: NONE, confirm_role: MANAGE, delete_user: MANAGE, revoke_sessions: MANAGE, set_password: MANAGE, send_password_reset: MANAGE, verify_email: MANAGE },
  staff:                   { list_users: ALL,  view_audit: ALL,  view_user: ALL,       update_user: MANAGE, grant_privileges: NONE, confirm_role: MANAGE, delete_user: MANAGE, revoke_sessions: MANAGE, set_password: MANAGE, send_password_reset: MANAGE, verify_email: MANAGE },
  superuser:               { list_users: ALL,  view_audit: ALL,  view_user: ALL,       update_user: ALL,    grant_privileges: ALL,  confirm_role: ALL,    delete_user: ALL,    revoke_sessions: ALL,    set_password: ALL, send_password_reset: ALL, verify_email: ALL },
  inactiveSuperuser:       { list_users: NONE, view_audit: NONE, view_user: NONE,      update_user: NONE,   grant_privileges: NONE, confirm_role: NONE,   delete_user: NONE,   revoke_sessions: NONE,   set_password: NONE, send_password_reset: NONE, verify_email: NONE },
};

const TARGETLESS: readonly Action[] = ["list_users", "view_audit"];

describe("can(): every actor x every action x every target", () => {
  for (const [actorName, actor] of Object.entries(ACTORS)) {
    for (const action of ACTIONS) {
      it(`${actorName} ${action}`, () => {
        const marks = EXPECTED[actorName as keyof typeof ACTORS][action];
        if (TARGETLESS.includes(action)) {
          expect(can(actor, action, undefined, SCOPES)).toBe(marks[0] === "x");
          return;
        }
        const allowed = TARGETS.map((column) => (can(actor, action, targetFor(actor, column), SCOPES) ? "x" : "."));
        expect(allowed.join("")).toBe(marks);
      });
    }
  }

  it("refuses actions on a user when no target is given", () => {
    expect(can(ACTORS.superuser, "update_user", undefined, SCOPES)).toBe(false);
  });

  it("follows the configured scopes, once the role is confirmed", () => {
    const nurse = principal("nurse", CONFIRMED);
    expect(can(nurse, "list_users", undefined, { nurse: ["patient"] })).toBe(true);
    expect(can(nurse, "view_user", principal("patient"), { nurse: ["patient"] })).toBe(true);
    expect(can(principal("nurse"), "list_users", undefined, { nurse: ["patient"] })).toBe(false);
    expect(can(ACTORS.confirmedTeacher, "list_users", undefined, {})).toBe(false);
  });
});
