export interface Layer {
  parts: string[];
  may: string[];
}
export const LAYERS: Record<string, Layer>;
export const OPEN_PARTS: string[];
export const OUTSIDE_SRC: Record<string, string[]>;
export function partOf(file: string): string;
export function isDoor(target: string, to: string): boolean;
export function importsOf(text: string): { specifiers: string[]; computed: number[] };
export function check(srcRoot: string): { problems: string[]; edges: Map<string, number> };
