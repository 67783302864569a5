// The admin site's one stylesheet, served by the Worker (no build step). Its URL carries a hash of
// its text, so browsers may cache it for a year and still get a new version the moment it changes.

export const STYLESHEET = `
:root {
  --ink: #1d2330; --muted: #5a6272; --line: #d5d9e0; --paper: #fff; --wash: #f4f6f9;
  --brand: #1f4b99; --brand-ink: #fff; --danger: #a4161a; --ok: #1b6b3a; --focus: #f2a900;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height: 1.5; color: var(--ink);
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--wash); }
a { color: var(--brand); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip-link { position: absolute; left: -9999px; top: 0; padding: .5rem 1rem; background: var(--paper); z-index: 10; }
.skip-link:focus { left: .5rem; top: .5rem; }
.site-header { background: var(--brand); color: var(--brand-ink); }
.site-header .bar { max-width: 72rem; margin: 0 auto; padding: .75rem 1rem; display: flex; flex-wrap: wrap;
  gap: .5rem 1.5rem; align-items: center; justify-content: space-between; }
.site-header a, .site-header .who { color: var(--brand-ink); }
.site-name { font-weight: 700; font-size: 1.15rem; text-decoration: none; }
.site-nav { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; }
.site-nav form { margin: 0; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
main:focus { outline: none; }
h1 { font-size: 1.6rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.2rem; margin: 0 0 .75rem; }
.card { background: var(--paper); border: 1px solid var(--line); border-radius: 6px; padding: 1rem; margin-bottom: 1rem; }
.narrow { max-width: 26rem; margin: 2rem auto; }
.flash { border-radius: 6px; padding: .75rem 1rem; margin-bottom: 1rem; border: 1px solid; background: var(--paper); }
.flash-success { border-color: var(--ok); color: var(--ok); }
.flash-error, .form-error { border-color: var(--danger); color: var(--danger); }
.form-error { border: 1px solid; border-radius: 6px; padding: .5rem .75rem; margin-bottom: 1rem; background: var(--paper); }
.form-error p { margin: .25rem 0; }
.field { margin-bottom: .9rem; }
.field label, .field legend { display: block; font-weight: 600; margin-bottom: .25rem; }
.field input[type=text], .field input[type=email], .field input[type=password], .field input[type=search],
.field select, .field textarea { width: 100%; min-height: 2.6rem; padding: .5rem; font: inherit; border: 1px solid #8a93a3; border-radius: 4px;
  background: var(--paper); color: var(--ink); }
.field textarea { min-height: 6rem; }
.field input[aria-invalid=true], .field select[aria-invalid=true], .field textarea[aria-invalid=true] {
  border-color: var(--danger); border-width: 2px; }
.field .checkbox { display: flex; gap: .5rem; align-items: center; }
.checkbox input { width: 1.1rem; height: 1.1rem; }
.errors { color: var(--danger); margin: .25rem 0 0; padding-left: 1.1rem; }
.help { color: var(--muted); font-size: .9rem; margin: .25rem 0 0; padding-left: 1.1rem; }
.button { display: inline-block; font: inherit; font-weight: 600; padding: .5rem 1rem; border-radius: 4px;
  border: 1px solid var(--brand); background: var(--brand); color: var(--brand-ink); cursor: pointer; text-decoration: none; }
.button.secondary { background: var(--paper); color: var(--brand); }
.button.danger { background: var(--danger); border-color: var(--danger); color: #fff; }
.link-button { background: none; border: none; padding: 0; font: inherit; color: inherit; text-decoration: underline; cursor: pointer; }
.actions { display: flex; flex-wrap: wrap; gap: .75rem; align-items: center; }
.filters { display: grid; grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr)); gap: 0 1rem; align-items: end; }
.table-wrap { position: relative; overflow-x: auto; background: var(--paper); border: 1px solid var(--line); border-radius: 6px; }
table { border-collapse: collapse; width: 100%; min-width: 44rem; }
caption { text-align: left; padding: .75rem; font-weight: 600; }
th, td { text-align: left; padding: .5rem .75rem; border-top: 1px solid var(--line); vertical-align: top; }
thead th { background: var(--wash); white-space: nowrap; }
th a { text-decoration: none; }
th a:hover, th a:focus { text-decoration: underline; }
.summary { color: var(--muted); }
.pagination { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; margin-top: 1rem; }
.profile { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; }
.avatar { width: 96px; height: 96px; border-radius: 50%; object-fit: cover; border: 1px solid var(--line); background: var(--wash); }
.avatar-none { display: flex; align-items: center; justify-content: center; color: var(--muted); font-size: .8rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr)); gap: 0 1rem; }
.columns { display: grid; gap: 0 1rem; }
@media (min-width: 64rem) { .columns { grid-template-columns: 1fr 1fr; align-items: start; } }
.audit li { margin-bottom: .5rem; }
.audit ul { margin: .25rem 0 0; padding-left: 1.1rem; }
.badge { display: inline-block; padding: 0 .4rem; border-radius: 3px; background: var(--wash); border: 1px solid var(--line); font-size: .85rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; border: 0; overflow: hidden;
  clip-path: inset(50%); white-space: nowrap; }
@media (max-width: 40rem) {
  main { padding: .75rem; }
  h1 { font-size: 1.35rem; }
  .card { padding: .75rem; }
}
`;

// FNV-1a: a cache key, not a security measure; synchronous, so the path is known at import.
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

/** The stylesheet's file name under /admin/static/. */
export const STYLESHEET_NAME = `admin-${fnv1a(STYLESHEET)}.css`;
export const STYLESHEET_URL = `/admin/static/${STYLESHEET_NAME}`;
