import { html, raw, render, type SafeHtml } from './html.js';

/**
 * The HTML document around every page the broker serves to a browser. Pages carry no scripts and load
 * nothing: the stylesheet is inline, so the page works with JavaScript off and behind strict proxies.
 */

/**
 * Also meant to be sent as a response header (only the header can carry frame-ancestors): nothing may
 * load or run, inline styles excepted, and forms may only post back to us.
 */
export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** The meta form of PAGE_CSP; browsers ignore frame-ancestors there. */
const META_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'";

const STYLES = `
:root { color-scheme: light; --ink: #1b1f24; --muted: #57606a; --line: #d8dee4; --bg: #f3f4f6; --accent: #0b57d0;
  --ok: #1a7f37; --bad: #b42318; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 16px/1.5 -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
.wrap { max-width: 780px; margin: 0 auto; padding: 24px 14px 48px; }
.brand { margin: 0 0 12px; font-size: 13px; font-weight: 600; letter-spacing: .06em; text-transform: uppercase; color: var(--muted); }
.card { background: #fff; border: 1px solid var(--line); border-radius: 10px; box-shadow: 0 1px 3px rgba(0,0,0,.06); padding: 24px; }
h1 { margin: 0 0 8px; font-size: 24px; line-height: 1.25; overflow-wrap: anywhere; }
h2 { margin: 28px 0 12px; padding-top: 20px; border-top: 1px solid var(--line); font-size: 18px; }
h3 { margin: 16px 0 6px; font-size: 15px; }
a { color: var(--accent); }
.muted { color: var(--muted); }
.mono, code { font-family: ui-monospace, SFMono-Regular, Consolas, "Liberation Mono", monospace; font-size: 13px; overflow-wrap: anywhere; }
.badge { display: inline-block; padding: 1px 10px; border-radius: 999px; font-size: 13px; font-weight: 600; background: #eef1f4; color: var(--ink); border: 1px solid var(--line); }
.badge.ok { background: #dafbe1; border-color: #aceebb; color: #116329; }
.badge.bad { background: #ffebe9; border-color: #ffcecb; color: #a40e26; }
.badge.warn, strong.wide { background: #fff1c2; border-color: #d4a72c; color: #7d4e00; }
strong.wide { padding: 0 6px; border-radius: 4px; }
dl.facts { display: grid; grid-template-columns: minmax(140px, max-content) 1fr; gap: 8px 20px; margin: 0; }
dl.facts dt { font-weight: 600; color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.prewrap { white-space: pre-wrap; }
ul.ids { margin: 0; padding: 0; list-style: none; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; vertical-align: top; padding: 8px 10px 8px 0; border-bottom: 1px solid var(--line); overflow-wrap: anywhere; }
th { color: var(--muted); font-weight: 600; }
caption { text-align: left; padding: 0 0 6px; font-size: 14px; color: var(--muted); }
table.exemptions { table-layout: fixed; }
table.exemptions th:nth-child(1) { width: 24%; }
table.exemptions th:nth-child(2) { width: 38%; }
.target.wide { border-left: 4px solid #d4a72c; padding-left: 12px; }
.coverage { margin: 0 0 8px; }
.field { margin: 0 0 18px; }
label { display: block; font-weight: 600; margin-bottom: 6px; }
.hint { margin: 6px 0 0; font-size: 14px; color: var(--muted); }
select, input[type=date], textarea { width: 100%; max-width: 420px; font: inherit; color: var(--ink); background: #fff;
  border: 1px solid #8c959f; border-radius: 6px; padding: 8px 10px; }
textarea { max-width: 100%; min-height: 90px; resize: vertical; }
:focus-visible { outline: 3px solid #79a6f6; outline-offset: 2px; }
.actions { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 8px; }
button { font: inherit; font-weight: 600; padding: 10px 22px; border-radius: 6px; cursor: pointer; border: 1px solid transparent; min-width: 130px; }
button.approve { background: var(--ok); color: #fff; }
button.approve:hover { background: #116329; }
button.reject { background: #fff; color: var(--bad); border-color: var(--bad); }
button.reject:hover { background: #ffebe9; }
.notice { padding: 12px 14px; border-radius: 6px; background: #eef1f4; border-left: 4px solid var(--muted); }
.notice.ok { background: #dafbe1; border-left-color: var(--ok); }
.notice.bad { background: #ffebe9; border-left-color: var(--bad); }
.notice.warn { background: #fff8c5; border-left-color: #d4a72c; }
.notice ul { margin: 6px 0 0; padding-left: 20px; overflow-wrap: anywhere; }
@media (max-width: 560px) {
  .card { padding: 18px 14px; }
  dl.facts { grid-template-columns: 1fr; gap: 2px; }
  dl.facts dd { margin-bottom: 10px; }
  .actions button { flex: 1 1 100%; }
}`;

export function page(view: { readonly title: string; readonly body: SafeHtml }): string {
  return render(html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${META_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>${view.title} · exemption-broker</title>
<style>${raw(STYLES)}</style>
</head>
<body>
<div class="wrap">
<p class="brand">exemption-broker</p>
${view.body}
</div>
</body>
</html>
`);
}
