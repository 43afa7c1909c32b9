// One measured palisade run in a fresh process, as a user types it (argv: the command and its arguments);
// prints {ms, rssMb} on stderr's last line when the CLI is done.
const args = process.argv.slice(2);
const start = performance.now();
process.argv = [process.argv[0], new URL('../dist/cli/main.js', import.meta.url).pathname, ...args];
process.on('exit', () => {
  process.stderr.write('\n' + JSON.stringify({ ms: performance.now() - start, rssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
});
await import('../dist/cli/main.js');
