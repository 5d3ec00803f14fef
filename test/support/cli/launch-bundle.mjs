// Child process for test/cli/bundle-launch.test.ts: one start of the bundled CLI, as bin/codex-flow.js
// does it (V8's in-process compilation cache would hide whether the code cache was taken).
// Usage: node --import tsx launch-bundle.mjs <bundle> <cache dir | ''> <argv…>; reports on stderr.
import { loadBundle } from '../../../src/cli/bundle-launch.ts';

const [bundle, cacheDir, ...argv] = process.argv.slice(2);
const launched = loadBundle(bundle, argv[0] ?? '', cacheDir || undefined);
if (!launched) {
  process.stderr.write('no bundle\n');
  process.exit(9);
}
process.exitCode = await launched.main(argv);
launched.saveCache();
process.stderr.write(`\ncache used: ${launched.cacheUsed}\n`);
