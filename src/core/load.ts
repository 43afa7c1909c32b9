// The loader lives in ./load/, split by concern; this path stays for the modules that import it.
export * from './load/index.js';
