const TITLES: Record<number, string> = {
  403: "Access denied",
  404: "Page not found",
  405: "Method not allowed",
  413: "Request too large",
  429: "Too many requests",
};

export const errorTitle = (status: number) => TITLES[status] ?? (status >= 500 ? "Server error" : "Request refused");

/** The body of an error page; the layout around it is the one every page has. */
export function ErrorPage({ status, message, signedIn }: { status: number; message: string; signedIn: boolean }) {
  return (
    <div class="card">
      <h1>{errorTitle(status)}</h1>
      <p>{message}</p>
      <p class="summary">Status {status}</p>
      <p>{signedIn ? <a href="/admin/users">Back to the users</a> : <a href="/admin/login">Go to the login page</a>}</p>
    </div>
  );
}
