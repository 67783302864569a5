import type { User } from "../../db/schema";
import type { SessionView } from "../../services/sessions";
import { type AuditPage, AuditTrail } from "./audit-trail";
import { CsrfField, type FieldErrors } from "./fields";
import { displayName, Time, userPath, yesNo } from "./format";
import { EditForm, type EditValues, PasswordForm } from "./user-forms";

/** What the reader may do to this user, as the policy answers it. */
export interface UserPermissions {
  update: boolean;
  grantPrivileges: boolean;
  /** Confirm a staff role chosen at registration; false when there is nothing to confirm. */
  confirmRole: boolean;
  setPassword: boolean;
  /** Mail the user a reset link (active users only). */
  sendPasswordReset: boolean;
  /** Mark the address verified; false when it is. */
  markVerified: boolean;
  revokeSessions: boolean;
  delete: boolean;
  viewAudit: boolean;
}

export interface UserPageProps {
  user: User;
  pictureUrl: string | null;
  may: UserPermissions;
  csrfToken: string;
  /** The roles the reader may give this user. */
  roles: readonly string[];
  edit: { values: EditValues; errors?: FieldErrors };
  passwordErrors?: FieldErrors;
  audit?: AuditPage;
  /** The user's live sessions, for a reader who may end them. */
  sessions?: SessionView[];
}

function Profile({ user, pictureUrl }: { user: User; pictureUrl: string | null }) {
  return (
    <section class="card profile" aria-label="Account">
      {pictureUrl ? (
        <img class="avatar" src={pictureUrl} alt={displayName(user)} width={96} height={96} />
      ) : (
        <div class="avatar avatar-none">No picture</div>
      )}
      <dl class="facts">
        <dt>Email</dt>
        <dd>{user.email}</dd>
        <dt>Email verified</dt>
        <dd>
          <Time date={user.emailVerifiedAt} never="No" />
        </dd>
        {user.pendingEmail && (
          <>
            <dt>Pending email</dt>
            <dd>{user.pendingEmail}</dd>
          </>
        )}
        <dt>Name</dt>
        <dd>{user.fullName || "—"}</dd>
        <dt>Role</dt>
        <dd>{user.role}</dd>
        <dt>Role confirmed</dt>
        <dd>
          <Time date={user.roleConfirmedAt} never="No" />
        </dd>
        <dt>Active</dt>
        <dd>{yesNo(user.isActive)}</dd>
        <dt>Staff</dt>
        <dd>{yesNo(user.isStaff)}</dd>
        <dt>Superuser</dt>
        <dd>{yesNo(user.isSuperuser)}</dd>
        <dt>Joined</dt>
        <dd>
          <Time date={user.createdAt} />
        </dd>
        <dt>Last login</dt>
        <dd>
          <Time date={user.lastLogin} />
        </dd>
        <dt>User id</dt>
        <dd>{user.id}</dd>
      </dl>
    </section>
  );
}

function ConfirmRole({ user, csrfToken }: { user: User; csrfToken: string }) {
  return (
    <section class="card" aria-labelledby="confirm-role-heading">
      <h2 id="confirm-role-heading">Role</h2>
      <p>
        Anyone may register as {user.role}: the role lists and views the users it looks after only once an administrator
        confirms it.
      </p>
      <form method="post" action={`${userPath(user.id)}/confirm-role`}>
        <CsrfField token={csrfToken} />
        <button type="submit" class="button">
          Confirm role
        </button>
      </form>
    </section>
  );
}

const KIND_NAMES: Record<SessionView["kind"], string> = {
  jwt: "/auth/ tokens",
  token: "/api/users/ key",
  admin: "Admin site",
};

const dateOf = (iso: string | null) => (iso === null ? null : new Date(iso));

function Sessions({ user, sessions, csrfToken }: { user: User; sessions: SessionView[]; csrfToken: string }) {
  return (
    <section class="card" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">Sessions</h2>
      {sessions.length === 0 ? (
        <p>Not signed in anywhere.</p>
      ) : (
        <section class="table-wrap" aria-label="Sessions table" tabindex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Signed in</th>
                <th scope="col">Last seen</th>
                <th scope="col">From</th>
                <th scope="col">
                  <span class="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((session) => (
                <tr>
                  <td>{KIND_NAMES[session.kind]}</td>
                  <td>
                    <Time date={dateOf(session.created_at)} />
                  </td>
                  <td>
                    <Time date={dateOf(session.last_seen_at)} />
                  </td>
                  <td>
                    {session.ip ?? "Unknown address"}
                    <br />
                    <small>{session.user_agent || "Unknown client"}</small>
                  </td>
                  <td>
                    <form method="post" action={`${userPath(user.id)}/sessions/${session.id}/revoke`}>
                      <CsrfField token={csrfToken} />
                      <button type="submit" class="button secondary">
                        Revoke
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <p>Signing out everywhere ends every session at once, on every app.</p>
      <form method="post" action={`${userPath(user.id)}/revoke-sessions`}>
        <CsrfField token={csrfToken} />
        <button type="submit" class="button secondary">
          Sign out everywhere
        </button>
      </form>
    </section>
  );
}

/** One button that posts to `action` under the user's path, in a card of its own. */
function ActionCard(props: {
  user: User;
  csrfToken: string;
  action: string;
  title: string;
  text: string;
  button: string;
}) {
  const { user, csrfToken, action, title, text, button } = props;
  return (
    <section class="card" aria-labelledby={`${action}-heading`}>
      <h2 id={`${action}-heading`}>{title}</h2>
      <p>{text}</p>
      <form method="post" action={`${userPath(user.id)}/${action}`}>
        <CsrfField token={csrfToken} />
        <button type="submit" class="button secondary">
          {button}
        </button>
      </form>
    </section>
  );
}

function Delete({ user }: { user: User }) {
  return (
    <section class="card" aria-labelledby="delete-heading">
      <h2 id="delete-heading">Delete</h2>
      <p>Deletes the account, its tokens and its picture. You will be asked to confirm.</p>
      <a class="button danger" href={`${userPath(user.id)}/delete`}>
        Delete this user…
      </a>
    </section>
  );
}

/** The one-button actions the reader may take on this user, in the order the page shows them. */
function userActions(user: User, may: UserPermissions) {
  const cards = [
    may.sendPasswordReset && {
      action: "send-password-reset",
      title: "Reset link by mail",
      text: `Mails ${user.email} a link to choose a new password. Nothing changes until they use it.`,
      button: "Send password reset link",
    },
    may.markVerified && {
      action: "mark-verified",
      title: "Verification",
      text: "The address is not verified. Mark it verified only if you know that it belongs to this user.",
      button: "Mark verified",
    },
  ];
  return cards.filter((card) => card !== false);
}

export function UserPage(props: UserPageProps) {
  const { user, pictureUrl, may, csrfToken, roles, edit, passwordErrors, audit, sessions } = props;
  const path = userPath(user.id);
  const readOnly = !(may.update || may.confirmRole || may.setPassword || may.revokeSessions || may.delete);
  return (
    <>
      <p>
        <a href="/admin/users">← All users</a>
      </p>
      <h1>{displayName(user)}</h1>
      <div class="columns">
        <div>
          <Profile user={user} pictureUrl={pictureUrl} />
          {readOnly && <p class="card">You may view this account but not change it.</p>}
          {may.update && (
            <EditForm
              action={path}
              csrfToken={csrfToken}
              values={edit.values}
              errors={edit.errors}
              roles={roles}
              mayGrantPrivileges={may.grantPrivileges}
            />
          )}
        </div>
        <div>
          {may.confirmRole && <ConfirmRole user={user} csrfToken={csrfToken} />}
          {may.setPassword && (
            <PasswordForm
              action={`${path}/password`}
              csrfToken={csrfToken}
              email={user.email}
              errors={passwordErrors}
            />
          )}
          {userActions(user, may).map((card) => (
            <ActionCard user={user} csrfToken={csrfToken} {...card} />
          ))}
          {sessions && <Sessions user={user} sessions={sessions} csrfToken={csrfToken} />}
          {may.delete && <Delete user={user} />}
          {audit && <AuditTrail audit={audit} basePath={path} />}
        </div>
      </div>
    </>
  );
}

export function DeletePage({ user, csrfToken }: { user: User; csrfToken: string }) {
  return (
    <div class="card">
      <h1>Delete {displayName(user)}?</h1>
      <p>
        This deletes the account of <strong>{user.email}</strong>, every token it holds and its profile picture. It
        cannot be undone; the audit trail keeps a record of what the account was.
      </p>
      <form method="post" action={`${userPath(user.id)}/delete`} class="actions">
        <CsrfField token={csrfToken} />
        <button type="submit" class="button danger">
          Yes, delete this user
        </button>
        <a href={userPath(user.id)}>No, take me back</a>
      </form>
    </div>
  );
}
