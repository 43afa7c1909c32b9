import { gzipSync } from 'node:zlib';
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
    `<script type="application/octet-stream" id="palisade-data" data-encoding="gzip+base64">${gzipSync(JSON.stringify(payload)).toString('base64')}</script>`,
    `<script>(${LOADER})(${renderReport.toString()});</script>`,
    '</body>',
    '</html>',
  ].join('\n');
};

/**
 * The data is gzip-compressed JSON in base64 (a 20,000-finding report is ~15 MB of JSON, under 3 MB
 * so); the browser inflates it with its own DecompressionStream, which needs no network.
 * Base64 also means no byte of a manifest can close the script element.
 */
const LOADER = `async function (render) {
  const text = document.getElementById('palisade-data').textContent.trim();
  const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  const payload = JSON.parse(await new Response(stream).text());
  render(payload, document);
  document.body.dataset.ready = 'true';
}`;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
