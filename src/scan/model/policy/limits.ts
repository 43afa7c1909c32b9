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
