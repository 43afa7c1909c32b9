/**
 * Quoted scalars whose continuation lines are indented less than their block, as go-yaml reads them.
 *
 * YAML 1.2 (7.3.1, 7.3.2: `s-flow-line-prefix(n)`) wants the continuation lines of a multi-line
 * quoted scalar indented inside the enclosing block, and the `yaml` package refuses them otherwise.
 * kubectl and the API server read manifests with go-yaml (sigs.k8s.io/yaml → go-yaml v2; v3 is the
 * same), whose `yaml_parser_scan_flow_scalar` only refuses a document marker (`---`, `...`) at
 * column 0 and the end of the stream: any indentation is read, and the leading white space of each
 * continuation line is dropped by line folding. PyYAML reads them the same way.
 *
 * So the loader, when a document fails to parse, indents such continuation lines up to the column
 * of their opening quote and parses again. That changes no value: folding drops a continuation
 * line's leading white space whatever its length, and white-space-only lines stay empty lines. Lines
 * keep their numbers; only columns on the re-indented lines move.
 */

const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t';
const endsToken = (c: string | undefined): boolean => c === undefined || c === ' ' || c === '\t' || c === '\r';

/** The text with under-indented quoted-scalar continuation lines indented; undefined when there are none. */
export function indentQuotedContinuations(text: string): string | undefined {
  const lines = text.split('\n');
  let changed = false;
  /** An open quoted scalar: its quote and the column continuation lines are brought to. */
  let open: { quote: '"' | "'"; column: number } | undefined;
  /** Inside a block scalar (`|`, `>`): lines indented more than this belong to it. */
  let block: number | undefined;

  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    let p = 0;
    if (open) {
      // A document marker ends the stream of this scalar in go-yaml too (an error there): stop.
      if (/^(---|\.\.\.)(\s|$)/.test(line)) {
        open = undefined;
      } else {
        let indent = 0;
        while (line[indent] === ' ') indent++;
        if (indent < open.column && line.slice(indent).trim() !== '') {
          line = ' '.repeat(open.column - indent) + line;
          lines[i] = line;
          changed = true;
        }
        p = closeQuote(line, Math.max(indent, 0), open.quote);
        if (p < 0) continue; // still open on the next line
        open = undefined;
      }
    } else if (block !== undefined) {
      let indent = 0;
      while (line[indent] === ' ') indent++;
      if (line.trim() === '' || indent > block) continue;
      block = undefined;
    }
    // Scan the rest of the line for the start of a quoted scalar, a block scalar or a comment.
    let atNodeStart = true;
    let anchor = 0; // column of the key or `-` the next node belongs to
    if (p === 0) {
      while (isBlank(line[p])) p++;
      anchor = p;
    } else {
      atNodeStart = false;
    }
    while (p < line.length) {
      const c = line[p]!;
      if (isBlank(c) || c === '\r') {
        p++;
        continue;
      }
      if (c === '#' && (p === 0 || isBlank(line[p - 1]))) break;
      if (atNodeStart && (c === '"' || c === "'")) {
        const end = closeQuote(line, p + 1, c);
        if (end < 0) {
          open = { quote: c, column: p };
          break;
        }
        p = end;
        atNodeStart = false;
        continue;
      }
      if (atNodeStart && (c === '-' || c === '?') && endsToken(line[p + 1])) {
        anchor = p;
        p++;
        continue;
      }
      if (atNodeStart && (c === '|' || c === '>') && /^[|>][-+0-9]*[ \t]*(#.*)?\r?$/.test(line.slice(p))) {
        block = anchor;
        break;
      }
      if (atNodeStart && (c === '!' || c === '&')) {
        while (p < line.length && !endsToken(line[p])) p++;
        continue;
      }
      if (c === '[' || c === '{' || c === ',') {
        p++;
        atNodeStart = true;
        continue;
      }
      if (c === ':' && (endsToken(line[p + 1]) || line[p + 1] === ',' || line[p + 1] === ']' || line[p + 1] === '}')) {
        p++;
        atNodeStart = true;
        continue;
      }
      if (atNodeStart) anchor = p;
      atNodeStart = false;
      p++;
    }
  }
  return changed ? lines.join('\n') : undefined;
}

/** Index just past the closing quote on this line, or -1 when the scalar goes on. */
function closeQuote(line: string, from: number, quote: '"' | "'"): number {
  for (let p = from; p < line.length; p++) {
    const c = line[p];
    if (quote === '"' && c === '\\') {
      p++;
      continue;
    }
    if (c === quote) {
      if (quote === "'" && line[p + 1] === "'") {
        p++;
        continue;
      }
      return p + 1;
    }
  }
  return -1;
}
