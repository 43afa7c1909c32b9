/**
 * The page's styles. Severity colours pass WCAG AA contrast for their text (4.5:1 on their
 * background), and every colour is paired with a word or a shape, never the only signal.
 */
export const STYLE = `
:root { color-scheme: light; --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --bg: #ffffff; --panel: #f6f8fa; --focus: #0550ae;
  --critical: #8b0000; --high: #b42318; --medium: #8a4b00; --low: #055160; --info: #1f4e99; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 16px 24px; border-bottom: 1px solid var(--line); background: var(--panel); }
header h1 { margin: 0; font-size: 22px; }
.inputs { margin: 4px 0 0; color: var(--muted); }
main { padding: 8px 24px 40px; max-width: 1400px; }
h2 { font-size: 18px; margin: 24px 0 8px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.tiles { display: flex; gap: 12px; padding: 0; margin: 0; list-style: none; flex-wrap: wrap; }
.tile { min-width: 110px; padding: 10px 14px; border: 1px solid var(--line); border-left-width: 6px; border-radius: 6px; background: var(--bg); }
.tile .count { display: block; font-size: 26px; font-weight: 700; }
.tile .label { text-transform: uppercase; font-size: 12px; letter-spacing: .05em; color: var(--muted); }
.sev-critical { border-left-color: var(--critical); } .sev-high { border-left-color: var(--high); }
.sev-medium { border-left-color: var(--medium); } .sev-low { border-left-color: var(--low); } .sev-info { border-left-color: var(--info); }
.facts { color: var(--muted); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 16px; }
.chart { margin: 0; padding: 12px; border: 1px solid var(--line); border-radius: 6px; }
.chart figcaption { font-weight: 600; margin-bottom: 6px; }
.bars { list-style: none; margin: 0; padding: 0; }
.bars li { display: grid; grid-template-columns: 150px 1fr 48px; align-items: center; gap: 8px; margin: 3px 0; }
.bar-label { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.bar-track { background: var(--panel); height: 12px; border-radius: 3px; }
.bar { display: block; height: 12px; background: #57606a; border-radius: 3px; }
.bar-value { text-align: right; font-variant-numeric: tabular-nums; }
.note { color: var(--muted); font-size: 13px; }
.filters { display: flex; flex-wrap: wrap; gap: 10px 16px; align-items: center; padding: 10px; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; }
.chip { border: 1px solid var(--line); border-left-width: 5px; border-radius: 4px; padding: 2px 8px; background: var(--bg); }
select, input[type=search] { font: inherit; padding: 3px 6px; }
input[type=search] { width: 260px; }
table { border-collapse: collapse; width: 100%; margin-top: 8px; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
th { background: var(--panel); position: sticky; top: 0; }
.badge { display: inline-block; min-width: 74px; text-align: center; padding: 1px 6px; border-radius: 4px; color: #fff; font-size: 12px; font-weight: 700; letter-spacing: .04em; }
.badge.sev-critical { background: var(--critical); } .badge.sev-high { background: var(--high); } .badge.sev-medium { background: var(--medium); }
.badge.sev-low { background: var(--low); } .badge.sev-info { background: var(--info); }
.check { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; word-break: break-all; }
.toggle { all: unset; cursor: pointer; color: var(--fg); }
.toggle:hover { text-decoration: underline; }
.toggle:focus-visible { outline: 3px solid var(--focus); }
.object { color: var(--muted); font-size: 13px; }
.where { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; word-break: break-all; }
tr.suppressed { opacity: .75; }
tr.detail td { background: var(--panel); }
.snippet { background: #fff; border: 1px solid var(--line); padding: 6px 0; overflow-x: auto; font-size: 12px; }
.snippet .line { display: block; padding: 0 8px; white-space: pre; }
.snippet .hit { background: #fff1c2; font-weight: 600; }
.snippet .gutter { color: var(--muted); user-select: none; }
.frameworks { margin: 4px 0; padding-left: 18px; }
#show-more { margin-top: 10px; font: inherit; padding: 4px 12px; }
.attack-chains { list-style: none; padding: 0; display: grid; gap: 8px; }
.attack-chains .chain { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; }
.attack-chains .subject { border: 1.2px solid #57606a; border-radius: 4px; padding: 2px 8px; background: #fff; }
.attack-chains .subject.admin { border: 3px solid #8a1c1c; font-weight: 700; }
.attack-chains .hop { font: inherit; background: none; border: 1px dashed #8c959f; border-radius: 4px; padding: 2px 6px; cursor: pointer; color: var(--fg); }
.attack-chains .hop[aria-pressed="true"], .attack-chains .hop:focus-visible { border: 2px solid var(--focus); }
.attack-detail { margin-top: 8px; }
.graph-layout { display: grid; grid-template-columns: minmax(0, 3fr) minmax(240px, 1fr); gap: 16px; align-items: start; }
.graph-scroll { overflow: auto; border: 1px solid var(--line); border-radius: 6px; max-height: 640px; }
#graph .side-label { font-weight: 700; font-size: 13px; fill: var(--fg); letter-spacing: .06em; text-transform: uppercase; }
#graph .ns-label { font-weight: 600; fill: var(--muted); font-size: 12px; }
#graph .node rect { fill: #fff; stroke: #57606a; stroke-width: 1.2; }
#graph .node.model-server rect { fill: #fff8e6; stroke: #8a4b00; stroke-width: 3; }
#graph .node text { font-size: 13px; fill: var(--fg); }
#graph .node:focus-visible rect { stroke: var(--focus); stroke-width: 3; }
#graph .edge .hit { stroke: transparent; stroke-width: 12; fill: none; }
#graph .edge .line { stroke: #8c959f; stroke-width: 1.2; fill: none; stroke-dasharray: 5 4; }
#graph .edge.to-model .line { stroke: #8a4b00; stroke-width: 2.4; stroke-dasharray: none; }
#graph .edge.related .line, #graph .edge.selected .line, #graph .edge:focus-visible .line { stroke: var(--focus); stroke-width: 3.2; }
#graph .arrowhead { fill: #57606a; }
#graph .edge { cursor: pointer; }
#edge-detail { border: 1px solid var(--line); border-radius: 6px; padding: 10px; background: var(--panel); }
#edge-detail h3 { margin: 0 0 6px; font-size: 15px; word-break: break-all; }
.rules { padding-left: 18px; font-size: 13px; }
.legend { font-size: 13px; color: var(--muted); }
`;
