import type { FindingRow, PagePayload } from './data.js';
import type { GraphEdge, GraphNode } from '../../core/graph.js';

/**
 * The few DOM members the page uses, declared here rather than through TypeScript's DOM library,
 * which would change global types (fetch, Buffer bodies) for the Node code of the whole project.
 */
export interface PageNode {
  setAttribute(name: string, value: string): void;
  append(...children: Array<PageNode | string>): void;
  replaceChildren(...children: Array<PageNode | string>): void;
  addEventListener(type: string, listener: (event: PageEvent) => void): void;
  querySelectorAll(selector: string): ArrayLike<PageNode>;
  readonly classList: { add(name: string): void; remove(name: string): void };
  textContent: string | null;
  hidden: boolean;
  checked: boolean;
  value: string;
}
export interface PageEvent {
  key?: string;
  preventDefault(): void;
}
export interface PageDocument {
  createElement(tag: string): PageNode;
  createElementNS(namespace: string, tag: string): PageNode;
  getElementById(id: string): PageNode | null;
}

/**
 * The report page's script. It runs in the browser, inlined into the page as this function's
 * source text, so it imports nothing at run time and builds every element with textContent: the
 * report carries text from the user's manifests, which must never become markup.
 */
export function renderReport(payload: PagePayload, doc: PageDocument): void {
  const SHOWN_STEP = 200;
  const sev = payload.severities;
  const str = (i: number): string => (i >= 0 ? (payload.strings[i] ?? '') : '');

  function el(tag: string, attrs: Record<string, string> = {}, ...children: Array<PageNode | string>): PageNode {
    const node = doc.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
    for (const child of children) node.append(child);
    return node;
  }
  const SVG = 'http://www.w3.org/2000/svg';
  function svg(tag: string, attrs: Record<string, string | number> = {}): PageNode {
    const node = doc.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
    return node;
  }
  const main = doc.getElementById('app');
  if (!main) return;

  // ---- Summary: counts by severity, then charts by namespace, family and framework.
  const counting = payload.findings.filter((f) => f.u === undefined);
  const tiles = el('ul', { class: 'tiles', 'aria-label': 'findings by severity' });
  sev.forEach((name, i) => {
    const count = counting.filter((f) => f.s === i).length;
    tiles.append(el('li', { class: `tile sev-${name}` }, el('span', { class: 'count' }, String(count)), el('span', { class: 'label' }, name)));
  });
  const suppressed = payload.findings.length - counting.length;
  const summary = el('section', { id: 'summary', 'aria-labelledby': 'summary-h' }, el('h2', { id: 'summary-h' }, 'Summary'), tiles);
  const facts: string[] = [`${counting.length} finding${counting.length === 1 ? '' : 's'}`];
  if (suppressed) facts.push(`${suppressed} suppressed`);
  if (payload.pss) facts.push(`Pod Security: ${payload.pss.denied} pod spec${payload.pss.denied === 1 ? '' : 's'} denied, ${payload.pss.allowed} allowed`);
  summary.append(el('p', { class: 'facts' }, facts.join(' · ')));

  const charts = el('div', { class: 'charts' });
  const tally = (key: (f: FindingRow) => string[]): Array<[string, number]> => {
    const counts = new Map<string, number>();
    for (const f of counting) for (const k of key(f)) counts.set(k, (counts.get(k) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  };
  const chart = (title: string, id: string, rows: Array<[string, number]>, limit = 10): void => {
    if (rows.length === 0) return;
    const max = Math.max(...rows.map(([, n]) => n));
    const list = el('ol', { class: 'bars' });
    for (const [label, n] of rows.slice(0, limit)) {
      const bar = el('span', { class: 'bar', style: `width:${Math.max(2, Math.round((100 * n) / max))}%` });
      list.append(el('li', {}, el('span', { class: 'bar-label' }, label), el('span', { class: 'bar-track', 'aria-hidden': 'true' }, bar), el('span', { class: 'bar-value' }, String(n))));
    }
    const more = rows.length > limit ? [el('p', { class: 'note' }, `and ${rows.length - limit} more`)] : [];
    charts.append(el('figure', { class: 'chart', id }, el('figcaption', {}, title), list, ...more));
  };
  chart('By severity', 'chart-severity', sev.map((name, i) => [name, counting.filter((f) => f.s === i).length] as [string, number]).filter(([, n]) => n > 0));
  chart('By namespace', 'chart-namespace', tally((f) => [f.n >= 0 ? str(f.n) : '(cluster-wide or none)']));
  chart('By check family', 'chart-family', tally((f) => [str(f.g)]));
  chart('By framework', 'chart-framework', tally((f) => (f.w >= 0 ? Object.keys(JSON.parse(str(f.w)) as Record<string, string[]>) : ['(none)'])));
  summary.append(charts);
  main.append(summary);

  // ---- Network: who reaches the model servers.
  const network = payload.network;
  if (network && network.edges.length > 0) main.append(networkSection(network.nodes, network.edges, network.omittedEdges));

  // ---- RBAC: what a compromised pod's service account can become.
  const chains = payload.attackPaths;
  if (chains && chains.length > 0) main.append(attackSection(chains));

  // ---- Findings: filters and the list, worst first.
  const section = el('section', { id: 'findings', 'aria-labelledby': 'findings-h' }, el('h2', { id: 'findings-h' }, 'Findings'));
  const filters = el('form', { class: 'filters', role: 'search', 'aria-label': 'filter findings' });
  const sevBoxes = sev.map((name) => {
    const box = el('input', { type: 'checkbox', name: 'severity', value: name, id: `f-sev-${name}` });
    box.checked = true;
    filters.append(el('label', { for: `f-sev-${name}`, class: `chip sev-${name}` }, box, ` ${name}`));
    return box;
  });
  const select = (id: string, label: string, values: string[]): PageNode => {
    const control = el('select', { id, name: id });
    control.append(el('option', { value: '' }, 'all'));
    for (const v of values) control.append(el('option', { value: v }, v));
    filters.append(el('label', { for: id }, `${label} `, control));
    return control;
  };
  const distinct = (key: (f: FindingRow) => number): string[] => [...new Set(payload.findings.map(key).filter((i) => i >= 0).map(str))].sort();
  const nsSelect = select('f-namespace', 'Namespace', distinct((f) => f.n));
  const checkSelect = select('f-check', 'Check', distinct((f) => f.c));
  const familySelect = select('f-family', 'Family', distinct((f) => f.g));
  const search = el('input', { type: 'search', id: 'f-text', placeholder: 'message, object, file…' });
  filters.append(el('label', { for: 'f-text' }, 'Search ', search));
  const showSuppressed = el('input', { type: 'checkbox', id: 'f-suppressed' });
  filters.append(el('label', { for: 'f-suppressed' }, showSuppressed, ' show suppressed'));
  filters.addEventListener('submit', (event) => event.preventDefault());
  const status = el('p', { id: 'visible-count', role: 'status', 'aria-live': 'polite' });
  const table = el('table', { id: 'findings-table' });
  table.append(el('caption', { class: 'visually-hidden' }, 'Findings, worst first'));
  table.append(el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Severity'), el('th', { scope: 'col' }, 'Check'), el('th', { scope: 'col' }, 'Finding'), el('th', { scope: 'col' }, 'Where'))));
  const body = el('tbody');
  table.append(body);
  const more = el('button', { type: 'button', id: 'show-more' }, 'Show more');
  section.append(filters, status, table, more);
  main.append(section);

  let matches: FindingRow[] = [];
  let shown = 0;
  const haystack = (f: FindingRow): string => `${f.m}\n${str(f.c)}\n${str(f.t)}\n${str(f.r)}\n${str(f.f)}`.toLowerCase();
  const haystacks = new Map<FindingRow, string>();

  function apply(): void {
    const severities = new Set(sevBoxes.filter((b) => b.checked).map((b) => sev.indexOf(b.value)));
    const text = search.value.trim().toLowerCase();
    matches = payload.findings.filter((f) => {
      if (!severities.has(f.s)) return false;
      if (f.u !== undefined && !showSuppressed.checked) return false;
      if (nsSelect.value && str(f.n) !== nsSelect.value) return false;
      if (checkSelect.value && str(f.c) !== checkSelect.value) return false;
      if (familySelect.value && str(f.g) !== familySelect.value) return false;
      if (text) {
        let h = haystacks.get(f);
        if (h === undefined) haystacks.set(f, (h = haystack(f)));
        if (!h.includes(text)) return false;
      }
      return true;
    });
    body.replaceChildren();
    shown = 0;
    showMore();
  }

  function showMore(): void {
    const next = matches.slice(shown, shown + SHOWN_STEP);
    for (const f of next) body.append(...findingRows(f));
    shown += next.length;
    status.textContent = `${matches.length} of ${payload.findings.length} findings match${shown < matches.length ? `; showing the first ${shown}` : ''}`;
    more.hidden = shown >= matches.length;
  }

  function findingRows(f: FindingRow): PageNode[] {
    const name = sev[f.s] ?? 'info';
    const where = f.f >= 0 ? `${str(f.f)}:${f.l}:${f.k}` : '';
    const toggle = el('button', { type: 'button', class: 'toggle', 'aria-expanded': 'false' }, f.m);
    const head = el(
      'tr',
      { class: `finding${f.u !== undefined ? ' suppressed' : ''}` },
      el('td', {}, el('span', { class: `badge sev-${name}` }, name.toUpperCase())),
      el('td', { class: 'check' }, str(f.c)),
      el('td', {}, toggle, f.r >= 0 ? el('div', { class: 'object' }, str(f.r)) : ''),
      el('td', { class: 'where' }, where),
    );
    const detail = el('tr', { class: 'detail', hidden: '' });
    const cell = el('td', { colspan: '4' }, el('p', { class: 'title' }, str(f.t)));
    const snippet = f.f >= 0 ? payload.snippets[`${f.f}:${f.l}`] : undefined;
    if (snippet) {
      const [first, lines] = snippet;
      const pre = el('pre', { class: 'snippet', 'aria-label': `source around ${where}` });
      lines.forEach((line, i) => {
        const number = first + i;
        const row = el('span', { class: number === f.l ? 'line hit' : 'line' }, el('span', { class: 'gutter' }, String(number).padStart(5, ' ')), ` ${line}\n`);
        pre.append(row);
      });
      cell.append(pre);
    }
    if (f.x >= 0) cell.append(el('p', { class: 'fix' }, el('strong', {}, 'Fix: '), str(f.x)));
    if (f.w >= 0) {
      const map = JSON.parse(str(f.w)) as Record<string, string[]>;
      const list = el('ul', { class: 'frameworks' });
      for (const [framework, ids] of Object.entries(map)) list.append(el('li', {}, el('strong', {}, `${framework}: `), ids.join(', ')));
      cell.append(list);
    }
    if (f.u !== undefined) cell.append(el('p', { class: 'note' }, f.u));
    detail.append(cell);
    toggle.addEventListener('click', () => {
      const open = detail.hidden;
      detail.hidden = !open;
      toggle.setAttribute('aria-expanded', String(open));
    });
    return [head, detail];
  }

  for (const control of [...sevBoxes, nsSelect, checkSelect, familySelect, showSuppressed]) control.addEventListener('change', apply);
  search.addEventListener('input', apply);
  more.addEventListener('click', showMore);
  apply();

  // ---- Attack paths: one row per chain, accounts as boxes, each hop a button that shows its grant.
  function attackSection(list: NonNullable<PagePayload['attackPaths']>): PageNode {
    const box = el('section', { id: 'attack-paths', 'aria-labelledby': 'attack-h' }, el('h2', { id: 'attack-h' }, 'Attack paths from the pods\' service accounts (RBAC)'));
    box.append(el('p', { class: 'legend' }, 'Each row starts at the service account a pod runs as: what an attacker who takes over the pod can become, hop by hop. Select a hop to see the grant that allows it. ★ marks administrator of a scope.'));
    const detail = el('p', { id: 'attack-detail', class: 'attack-detail', 'aria-live': 'polite' }, 'Select a hop to see the grant behind it.');
    const rows = el('ol', { class: 'attack-chains' });
    list.forEach((chain, i) => {
      const row = el('li', { class: 'chain', 'data-chain': String(i) }, el('span', { class: 'subject start' }, chain.from));
      chain.hops.forEach((hop, j) => {
        const button = el('button', { type: 'button', class: 'hop', 'data-hop': `${i}.${j}`, 'aria-pressed': 'false', 'aria-label': `${hop.action}: via ${hop.via}` }, `→ ${hop.action} →`);
        button.addEventListener('click', () => {
          for (const other of Array.from(box.querySelectorAll('button.hop'))) other.setAttribute('aria-pressed', 'false');
          button.setAttribute('aria-pressed', 'true');
          detail.replaceChildren(el('strong', {}, hop.action), ` — via ${hop.via}${hop.where ? ` (${hop.where})` : ''}`);
        });
        row.append(button, el('span', { class: hop.admin ? 'subject admin' : 'subject' }, hop.admin ? `★ ${hop.to}` : hop.to));
      });
      rows.append(row);
    });
    box.append(rows, detail);
    return box;
  }

  // ---- The reachability graph: namespaces as columns, address ranges on the left.
  function networkSection(nodes: GraphNode[], edges: GraphEdge[], omitted: number): PageNode {
    const box = el('section', { id: 'network', 'aria-labelledby': 'network-h' }, el('h2', { id: 'network-h' }, 'Who reaches the model servers'));
    const intoServers = edges.filter((e) => e.toModelServer).length;
    box.append(el('p', {}, `${edges.length} connection${edges.length === 1 ? '' : 's'} drawn, ${intoServers} into model servers${omitted ? `; ${omitted} others left out` : ''}. Select a connection (click, or Tab then Enter) to see the rules that decide it.`));
    // Two columns, as a flow reads: where connections start on the left, where they end on the
    // right, each grouped under its namespace. A workload that does both appears on both sides,
    // so no edge has to turn back on itself.
    const NODE_W = 230;
    const NODE_H = 30;
    const GAP = 260;
    const ROW = NODE_H + 10;
    const HEADING = 26;
    const nodeById = new Map(nodes.map((n) => [n.id, n]));
    const sideOf = (ids: Set<string>): Array<{ heading?: string; node?: GraphNode }> => {
      const list = [...ids].map((id) => nodeById.get(id)).filter((n): n is GraphNode => n !== undefined);
      list.sort((a, b) => ((a.namespace ?? '') < (b.namespace ?? '') ? -1 : (a.namespace ?? '') > (b.namespace ?? '') ? 1 : a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
      const rows: Array<{ heading?: string; node?: GraphNode }> = [];
      let current: string | undefined;
      for (const node of list) {
        const group = node.namespace === undefined ? 'addresses' : `namespace ${node.namespace}`;
        if (group !== current) rows.push({ heading: group });
        current = group;
        rows.push({ node });
      }
      return rows;
    };
    const left = sideOf(new Set(edges.map((e) => e.src)));
    const right = sideOf(new Set(edges.map((e) => e.dst)));
    const place = (rows: Array<{ heading?: string; node?: GraphNode }>, x: number, into: Map<string, { x: number; y: number }>, labels: Array<{ x: number; y: number; text: string }>): number => {
      let y = 34;
      for (const row of rows) {
        if (row.heading) {
          labels.push({ x, y: y + 16, text: row.heading });
          y += HEADING;
        } else if (row.node) {
          into.set(row.node.id, { x, y });
          y += ROW;
        }
      }
      return y;
    };
    const from = new Map<string, { x: number; y: number }>();
    const to = new Map<string, { x: number; y: number }>();
    const headings: Array<{ x: number; y: number; text: string }> = [];
    const height = Math.max(place(left, 20, from, headings), place(right, 20 + NODE_W + GAP, to, headings)) + 10;
    const width = 40 + 2 * NODE_W + GAP;
    const root = svg('svg', { id: 'graph', viewBox: `0 0 ${width} ${height}`, width, height, role: 'group', 'aria-label': 'reachability graph: sources on the left, destinations on the right' });
    const defs = svg('defs');
    const marker = svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
    marker.append(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrowhead' }));
    defs.append(marker);
    root.append(defs);
    for (const [x, text] of [[20, 'from'], [20 + NODE_W + GAP, 'to']] as const) {
      const label = svg('text', { x, y: 16, class: 'side-label' });
      label.textContent = text;
      root.append(label);
    }
    for (const heading of headings) {
      const label = svg('text', { x: heading.x, y: heading.y, class: 'ns-label' });
      label.textContent = heading.text;
      root.append(label);
    }
    const panel = el('div', { id: 'edge-detail', role: 'region', 'aria-live': 'polite', 'aria-label': 'selected connection' }, el('p', { class: 'note' }, 'No connection selected.'));
    const edgeLayer = svg('g', { class: 'edges' });
    root.append(edgeLayer);
    const byNode = new Map<string, PageNode[]>();
    const select = (edge: GraphEdge, group: PageNode): void => {
      for (const other of Array.from(root.querySelectorAll('.edge.selected'))) other.classList.remove('selected');
      group.classList.add('selected');
      panel.replaceChildren(el('h3', {}, `${labelOf(edge.src)} → ${labelOf(edge.dst)}`), el('p', {}, `Allowed: ${edge.conns}`));
      if (edge.rules.length === 0) panel.append(el('p', { class: 'note' }, 'No policy selects either end: everything is allowed by default.'));
      const list = el('ul', { class: 'rules' });
      for (const rule of edge.rules) {
        const where = rule.location ? ` (${rule.location.file}:${rule.location.line}:${rule.location.column})` : '';
        list.append(el('li', {}, el('strong', {}, `${rule.direction} · ${rule.tier} · ${rule.effect}: `), `${rule.description}${where}`));
      }
      if (edge.rules.length > 0) panel.append(list);
    };
    const labelOf = (id: string): string => {
      const node = nodeById.get(id);
      return node ? (node.namespace ? `${node.namespace}/${node.label}` : node.label) : id;
    };
    for (const edge of edges) {
      const a = from.get(edge.src);
      const b = to.get(edge.dst);
      if (!a || !b) continue;
      const x1 = a.x + NODE_W;
      const y1 = a.y + NODE_H / 2;
      const x2 = b.x;
      const y2 = b.y + NODE_H / 2;
      const bend = Math.max(60, Math.abs(x2 - x1) / 2);
      const d = `M ${x1} ${y1} C ${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}`;
      const group = svg('g', { class: `edge${edge.toModelServer ? ' to-model' : ''}`, tabindex: 0, role: 'button', 'aria-label': `${labelOf(edge.src)} to ${labelOf(edge.dst)}: ${edge.conns}`, 'data-src': edge.src, 'data-dst': edge.dst });
      const title = svg('title');
      title.textContent = `${labelOf(edge.src)} → ${labelOf(edge.dst)}: ${edge.conns}`;
      group.append(title, svg('path', { d, class: 'hit' }), svg('path', { d, class: 'line', 'marker-end': 'url(#arrow)' }));
      group.addEventListener('click', () => select(edge, group));
      group.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          select(edge, group);
        }
      });
      edgeLayer.append(group);
      for (const end of [`from:${edge.src}`, `to:${edge.dst}`]) byNode.set(end, [...(byNode.get(end) ?? []), group]);
    }
    for (const [side, placed] of [['from', from], ['to', to]] as const) {
      for (const [id, p] of placed) {
        const node = nodeById.get(id);
        if (!node) continue;
        const server = (node.modelServers?.length ?? 0) > 0;
        const group = svg('g', { class: `node${server ? ' model-server' : ''}`, tabindex: 0, role: 'button', 'aria-label': `${labelOf(id)} (${node.kind}${server ? `, model server: ${node.modelServers?.join(', ')}` : ''}), ${side === 'from' ? 'as a source' : 'as a destination'}`, 'data-id': id, 'data-side': side });
        const title = svg('title');
        title.textContent = `${labelOf(id)} · ${node.kind}${server ? ` · serves models (${node.modelServers?.join(', ')})` : ''}${node.location ? ` · ${node.location.file}:${node.location.line}` : ''}`;
        const rect = svg('rect', { x: p.x, y: p.y, width: NODE_W, height: NODE_H, rx: 6 });
        const text = svg('text', { x: p.x + 10, y: p.y + NODE_H / 2 + 5 });
        const name = node.label.length > 27 ? `${node.label.slice(0, 26)}…` : node.label;
        text.textContent = server ? `◆ ${name}` : name;
        group.append(title, rect, text);
        const highlight = (): void => {
          for (const other of Array.from(root.querySelectorAll('.edge.related'))) other.classList.remove('related');
          for (const edgeGroup of byNode.get(`${side}:${id}`) ?? []) edgeGroup.classList.add('related');
        };
        group.addEventListener('click', highlight);
        group.addEventListener('keydown', (event) => {
          if (event.key === 'Enter') highlight();
        });
        root.append(group);
      }
    }
    const legend = el('p', { class: 'legend' }, '◆ marks a model server; connections into model servers are drawn solid and thick, other connections dashed.');
    const scroller = el('div', { class: 'graph-scroll' });
    scroller.append(root);
    box.append(legend, el('div', { class: 'graph-layout' }, scroller, panel));

    // The same connections as a table, for screen readers and for copying.
    const table = el('table', { id: 'connections-table' });
    table.append(el('caption', {}, 'Connections into model servers'));
    table.append(el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'From'), el('th', { scope: 'col' }, 'To'), el('th', { scope: 'col' }, 'Allowed'), el('th', { scope: 'col' }, 'Deciding policies'))));
    const rows = el('tbody');
    for (const edge of edges.filter((e) => e.toModelServer)) {
      const policies = [...new Set(edge.rules.map((r) => r.policy))].join(', ') || 'none (default allow)';
      rows.append(el('tr', {}, el('td', {}, labelOf(edge.src)), el('td', {}, labelOf(edge.dst)), el('td', {}, edge.conns), el('td', {}, policies)));
    }
    table.append(rows);
    if (intoServers > 0) box.append(el('details', {}, el('summary', {}, 'Table of connections into model servers'), table));
    return box;
  }
}
