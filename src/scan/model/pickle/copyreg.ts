/**
 * The copyreg extension registry that EXT1/EXT2/EXT4 read (copyreg._inverted_registry). CPython
 * registers no codes by default; a pickle may register its own with copyreg.add_extension (which
 * the VM follows), and an environment that registers codes can say so here.
 */
export const DEFAULT_EXTENSIONS: ReadonlyMap<number, readonly [module: string, name: string]> = new Map();
