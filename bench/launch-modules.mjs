// The CLI started from dist/ ES modules instead of the bundle bin/codex-flow.js loads: the
// baseline that says what the bundle saves (bench/route-process.ts, bench/startup.ts).
const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
