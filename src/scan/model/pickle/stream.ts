import type { ModelFinding } from '../types.js';
import { finding, timeoutFinding } from '../policy/rules.js';
import type { ScanPolicy } from '../policy/judge.js';
import { LIMITS, type ScanBudget } from '../policy/limits.js';
import { BufferSource, type ByteSource } from '../source.js';
import { DEFAULT_EXTENSIONS } from './copyreg.js';
import { PickleVm, isScanStop, type Framing, type ImportRecord, type PickleFault, type RunResult } from './vm.js';
import type { Value } from './values.js';

export interface StreamOptions {
  policy: ScanPolicy;
  /** Pickles inside pickles so far. */
  depth?: number;
  /** Where the first pickle starts. */
  start?: number;
  /** Look for a pickle hidden in the junk after the last STOP (plain pickle files). */
  searchTrailing?: boolean;
  extensions?: ReadonlyMap<number, readonly [string, string]>;
  /** The scan's shared budget: every run (nested and hidden-pickle probes too) is charged to it. */
  budget?: ScanBudget;
}

export interface StreamResult {
  findings: ModelFinding[];
  /** Pickles read completely. */
  pickles: number;
  /** Offset after the last complete pickle. */
  end: number;
  /** The first pickle's STOP value. */
  first?: Value;
  /** True when the first pickle itself is broken. */
  broken: boolean;
  /** Why the first pickle broke. */
  fault?: PickleFault;
  /** Every import seen, including those of a broken first pickle. */
  imports: ImportRecord[];
}

const DENY_RULES = new Set(['PICKLE_DENYLISTED_GLOBAL', 'PICKLE_SCANNER_TAMPERING']);

/** Text arguments of a hidden-pickle probe: module and class names are short. */
const PROBE_LINE_LIMIT = 1024;

function vmFor(source: ByteSource, options: StreamOptions, framing: Framing, budget?: number): PickleVm {
  const depth = options.depth ?? 0;
  return new PickleVm(source, {
    policy: options.policy,
    framing,
    depth,
    ...(budget !== undefined ? { budget, lineLimit: PROBE_LINE_LIMIT } : {}),
    ...(options.budget?.deadline ? { expired: () => options.budget!.expired() } : {}),
    extensions: options.extensions ?? DEFAULT_EXTENSIONS,
    nested: (data, nestedDepth) => scanPickleStream(new BufferSource(data), { ...options, depth: nestedDepth, start: 0, searchTrailing: false }).findings,
  });
}

/** Run a VM within what the scan has left, and charge what it used. */
function charged(vm: PickleVm, at: number, options: StreamOptions): RunResult {
  const run = vm.run(at, options.budget ? options.budget.opcodesLeft() : Number.POSITIVE_INFINITY);
  if (options.budget) options.budget.opcodes += run.opcodes;
  return run;
}

function opcodeLimitFinding(options: StreamOptions, fault: PickleFault): ModelFinding {
  if (fault.code === 'SCAN_TIMEOUT') return timeoutFinding(options.budget?.deadline, `pickle reading stopped at offset ${fault.offset}`, { offset: fault.offset });
  const limit = options.budget?.limits.maxOpcodes ?? 0;
  return finding('SCAN_LIMIT_REACHED', { detail: `pickle reading stopped after ${limit} opcodes in this file (${fault.detail})`, limit: 'maxOpcodes' }, { offset: fault.offset });
}

function merge(into: ModelFinding[], seen: Set<string>, more: readonly ModelFinding[]): void {
  for (const f of more) {
    const key = `${f.rule}|${f.global ?? ''}|${f.global ? '' : f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    into.push(f);
  }
}

/**
 * Scan a pickle stream: the first pickle, every pickle that directly follows a STOP (legacy torch
 * files and multi-pickle readers load them all), and, behind trailing junk, hidden pickles that no
 * loader reads (suspicious). A break in the first pickle makes the stream invalid; junk after a
 * complete pickle is ignored, except that deny-listed imports before the break still count.
 *
 * Each pickle is read as bytes (frames are only hints); when a frame is violated it is read again
 * as the C unpickler reads a file, where the crossing read lands after the frame.
 */
export function scanPickleStream(source: ByteSource, options: StreamOptions): StreamResult {
  const findings: ModelFinding[] = [];
  const seen = new Set<string>();
  const imports: ImportRecord[] = [];
  const whole = vmFor(source, options, 'whole');
  let drop: PickleVm | undefined;
  const read = (at: number): RunResult => {
    const run = charged(whole, at, options);
    if (run.frameViolation) {
      drop ??= vmFor(source, options, 'drop');
      const other = charged(drop, at, options);
      return { ...run, findings: [...run.findings, ...other.findings] };
    }
    return run;
  };
  const start = options.start ?? 0;
  const first = read(start);
  merge(findings, seen, first.findings);
  for (const i of first.imports) imports.push(i);
  if (!first.stopped) {
    const fault = first.fault;
    if (fault && isScanStop(fault.code)) merge(findings, seen, [opcodeLimitFinding(options, fault)]);
    else if (fault) merge(findings, seen, [finding('PICKLE_MALFORMED', { detail: fault.detail }, { offset: fault.offset })]);
    return { findings, pickles: 0, end: start, broken: true, ...(fault ? { fault } : {}), imports };
  }
  let pickles = 1;
  let pos = first.end;
  while (pos < source.size) {
    const next = read(pos);
    if (next.stopped) {
      pickles++;
      merge(findings, seen, next.findings);
      for (const i of next.imports) imports.push(i);
      pos = next.end;
      continue;
    }
    merge(findings, seen, next.findings.filter((f) => DENY_RULES.has(f.rule)));
    if (isScanStop(next.fault?.code)) {
      merge(findings, seen, [opcodeLimitFinding(options, next.fault!)]);
      break;
    }
    if (options.searchTrailing) merge(findings, seen, searchHidden(source, options, pos));
    break;
  }
  return { findings, pickles, end: pos, ...(first.result ? { first: first.result } : {}), broken: false, imports };
}

/** Bytes that can start a pickle: PROTO 0-5, or a protocol-0 GLOBAL ("c" + identifier + newline). */
function isPickleStart(data: Uint8Array, i: number): boolean {
  const b = data[i];
  if (b === 0x80) return (data[i + 1] ?? 0xff) <= 5;
  if (b === 0x63) {
    const next = data[i + 1] ?? 0;
    return (next >= 0x41 && next <= 0x5a) || (next >= 0x61 && next <= 0x7a) || next === 0x5f;
  }
  return false;
}

/**
 * Look for a complete pickle that imports something, hidden in `[from, from + limit)`. Returns a
 * suspicious finding naming its imports (the verdict policy: no loader unpickles it).
 */
export function searchHidden(source: ByteSource, options: StreamOptions, from: number, where = 'after the last STOP', limit: number = LIMITS.maxTrailingSearch): ModelFinding[] {
  const length = Math.min(limit, source.size - from);
  if (length <= 0) return [];
  const data = source.read(from, length);
  const window = new BufferSource(data);
  // Probes share one opcode budget, so junk full of pickle-like starts cannot make the search quadratic.
  let budget = LIMITS.hiddenSearchOpcodes;
  let probes = LIMITS.hiddenSearchProbes;
  for (let i = 0; i < data.length && budget > 0 && probes > 0; i++) {
    if (!isPickleStart(data, i)) continue;
    probes--;
    const run = charged(vmFor(window, { ...options, depth: (options.depth ?? 0) + 1 }, 'whole', budget), i, options);
    budget -= run.opcodes + 1;
    if (!run.stopped || run.imports.length === 0) continue;
    const globals = [...new Set(run.imports.map((r) => r.global))].join(', ');
    return [finding('PICKLE_HIDDEN_PICKLE', { globals, where }, { offset: from + i, ...(run.imports[0] ? { global: run.imports[0].global } : {}) })];
  }
  return [];
}
