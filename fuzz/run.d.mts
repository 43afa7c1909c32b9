export interface FuzzFailure {
  target: string;
  message: string;
  /** The failing input, base64. */
  input?: string;
}
export interface TargetResult {
  name: string;
  ms: number;
  failures: FuzzFailure[];
}
export function parseArgs(argv: string[]): { budgetMs: number; seed: number; only?: string };
export function loadTargets(only?: string): Promise<Array<{ file: string; name: string; run: (options: { budgetMs: number; rng: unknown }) => Promise<unknown> }>>;
export function fuzz(options: { budgetMs: number; seed: number; only?: string }): Promise<TargetResult[]>;
