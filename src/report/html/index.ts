import type { Reporter } from '../types.js';
import { renderReport } from './client.js';
import { pagePayload } from './data.js';
import { STYLE } from './style.js';

/**
 * One self-contained HTML file: the data, the script and the styles inlined, no request at view
 * time (the Content-Security-Policy forbids any), so it opens from disk or a CI artifact as it is.
 */
export const html: Reporter = (report, context) => {
  const payload = pagePayload(report, context);
  const title = `palisade report: ${report.inputs.join(', ') || 'stdin'}`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<h1>palisade report</h1>`,
    `<p class="inputs">${escapeHtml(report.inputs.join(', ') || 'stdin')} · ${escapeHtml(`${report.tool.name} ${report.tool.version}`)}</p>`,
    '</header>',
    '<main id="app"></main>',
    '<noscript><p>This report needs JavaScript to show its findings; the same data is in <code>--format json</code>.</p></noscript>',
    `<script type="application/json" id="palisade-data">${jsonForScript(payload)}</script>`,
    `<script>(${renderReport.toString()})(JSON.parse(document.getElementById('palisade-data').textContent), document);</script>`,
    '</body>',
    '</html>',
  ].join('\n');
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** JSON that cannot close its script element or break a line in old parsers. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
