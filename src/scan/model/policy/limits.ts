/**
 * Resource limits. Past a "trap" limit the file is suspicious (verdict policy: resource traps);
 * the others bound the scanner's own work and memory.
 */
export const LIMITS = {
  /** CPython's pickler never emits DUP; fickling calls more than 100 suspicious. */
  maxDup: 100,
  /** Containers nested deeper than Python's default recursion limit crash their consumers. */
  maxNesting: 1000,
  /** Objects whose expanded size (memo references counted each time) exceed this many times the bytes read, and at least `expansionFloor`. */
  expansionFactor: 100,
  expansionFloor: 1_000_000,
  /** Items on the simulated stack and memo entries; beyond, the pickle is a memory trap. */
  maxStack: 5_000_000,
  maxMemo: 5_000_000,
  /** Longest protocol-0 text line read. */
  maxLine: 64 * 1024 * 1024,
  /** Longest string decoded (longer ones are skipped over, not decoded). */
  maxDecodedString: 1024 * 1024,
  /** Largest bytes literal read to look for a nested pickle. */
  maxNestedBytes: 64 * 1024 * 1024,
  /** Pickles inside pickles, archives inside archives. */
  maxNestingOfContainers: 6,
  /** Largest member inflated from an archive, and the largest inflate ratio believed. */
  maxInflatedMember: 1024 * 1024 * 1024,
  maxCompressionRatio: 1000,
  /** How far past the last STOP a hidden pickle is looked for. */
  maxTrailingSearch: 64 * 1024 * 1024,
  /** Opcodes all hidden-pickle probes of one search may execute together. */
  hiddenSearchOpcodes: 5_000_000,
  /** Places a hidden-pickle search tries to parse from. */
  hiddenSearchProbes: 10_000,
  /** File-read window of the pickle reader. */
  readWindow: 4 * 1024 * 1024,
} as const;

/**
 * The limits that bound one scan's work, configurable per scan (ModelScanOptions.limits). With the
 * defaults, any input under 50 MB on disk is judged in well under 60 s and 1 GB of memory; when one
 * stops the scan, the file gets SCAN_LIMIT_REACHED (suspicious: what was not read is not known to be
 * safe) naming the limit and how to raise it.
 */
export interface ScanLimits {
  /** Largest single archive member or compressed stream inflated. */
  maxInflatedMember: number;
  /** All bytes inflated while scanning one file (archives inside archives, every member). */
  maxInflatedTotal: number;
  /** Largest inflate ratio believed for a member of more than 1 MB. */
  maxCompressionRatio: number;
  /** Largest file handed whole to an in-memory parser (HDF5, ONNX, TensorFlow protobufs). */
  maxInMemory: number;
  /** Largest 7z (or bzip2/xz/zstd/rar) input handed to 7-Zip, which reads from memory. */
  maxSevenZipInput: number;
  /** Bytes 7-Zip may unpack from one file (its WASM build decodes ~10 MB/s and keeps the output in memory). */
  maxSevenZipOutput: number;
  /** Pickle opcodes executed while scanning one file (every pickle, nested ones included). */
  maxOpcodes: number;
}

export const DEFAULT_LIMITS: ScanLimits = {
  maxInflatedMember: 512 * 1024 * 1024,
  maxInflatedTotal: 1024 * 1024 * 1024,
  maxCompressionRatio: LIMITS.maxCompressionRatio,
  maxInMemory: 512 * 1024 * 1024,
  maxSevenZipInput: 256 * 1024 * 1024,
  maxSevenZipOutput: 128 * 1024 * 1024,
  maxOpcodes: 400_000_000,
};

/** The names a user may set, for option parsing and messages. */
export const LIMIT_NAMES = Object.keys(DEFAULT_LIMITS) as Array<keyof ScanLimits>;

/**
 * A wall-clock bound on a whole scan (`scan model --timeout`). The engine reads no clock: the
 * caller gives one. Past it, the file being read stops at its next check (every 65,536 pickle
 * opcodes, every archive member) and the files not reached are not read; each gets
 * SCAN_LIMIT_REACHED with limit `timeout`, so the run ends with a suspicious verdict, never a hang.
 */
export interface ScanDeadline {
  /** The bound, for messages. */
  timeoutMs: number;
  expired(): boolean;
}

/** A deadline `timeoutMs` after now, on the given clock (milliseconds, e.g. performance.now). */
export function deadlineAfter(timeoutMs: number, now: () => number): ScanDeadline {
  const at = now() + timeoutMs;
  return { timeoutMs, expired: () => now() >= at };
}

/** What one scan of one file has used so far; shared by every archive level of that file. */
export class ScanBudget {
  inflated = 0;
  opcodes = 0;
  constructor(
    readonly limits: ScanLimits,
    readonly deadline?: ScanDeadline,
  ) {}

  /** Whether the scan's wall-clock bound has passed (never, without one). */
  expired(): boolean {
    return this.deadline?.expired() ?? false;
  }

  /** Claim `bytes` of inflation; false (nothing claimed) when it would pass the total. */
  claimInflated(bytes: number): boolean {
    if (this.inflated + bytes > this.limits.maxInflatedTotal) return false;
    this.inflated += bytes;
    return true;
  }

  /** Opcodes a pickle run may still execute. */
  opcodesLeft(): number {
    return Math.max(0, this.limits.maxOpcodes - this.opcodes);
  }
}
