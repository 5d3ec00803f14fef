#!/usr/bin/env node
/**
 * The layer and cycle check of `npm run lint`: dependency-cruiser with the rules in
 * .dependency-cruiser.cjs. Through its API rather than its `depcruise` bin because the bin refuses
 * to start on Node 20 (its engines field says 22+), which this package still supports; the API
 * itself runs there. Prints one line per violation and exits 1 when there is one.
 */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cruise } from 'dependency-cruiser';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const require = createRequire(import.meta.url);
const { layers, forbidden, options } = require('../.dependency-cruiser.cjs');

// A folder outside every layer is checked by no layer rule: its imports would go unseen.
const layered = new Set(layers.flat().map((name) => (name === 'version' ? 'version.ts' : name)));
const unlayered = readdirSync(new URL('../src', import.meta.url)).filter((entry) => entry !== 'index.ts' && !layered.has(entry));
if (unlayered.length > 0) {
  process.stderr.write(`src/${unlayered.join(', src/')}: in no layer of .dependency-cruiser.cjs; add each to the layer it belongs to\n`);
  process.exit(1);
}
const result = await cruise(['src'], { ...options, ruleSet: { forbidden }, validate: true, outputType: 'err' }, undefined, {
  tsConfig: extractTSConfig(options.tsConfig.fileName),
});
const violations = result.output.trim();
if (result.exitCode !== 0) {
  process.stderr.write(`${violations}\n`);
  process.exit(1);
}
process.stdout.write(`layers: ${result.output.match(/\d+ modules, \d+ dependencies cruised/)?.[0] ?? 'ok'}, no violations\n`);
