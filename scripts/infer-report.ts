/**
 * Prints what trigger inference makes of every brief in the shared corpus, for a person to
 * eyeball: id → keywords, file patterns, languages, tier. Not a test: it asserts nothing.
 *
 *   npx tsx scripts/infer-report.ts [--full] [filter]
 */
import { inferTriggers } from '../src/compiler/infer/index.js';
import { loadCorpus } from '../test/compiler/infer/corpus-briefs.js';

const args = process.argv.slice(2);
const full = args.includes('--full');
const filter = args.find((arg) => !arg.startsWith('--')) ?? '';
const briefs = loadCorpus();
const started = performance.now();
const results = briefs.map((brief) => ({ brief, ...inferTriggers(brief) }));
const cold = performance.now() - started;
const warm: number[] = [];
for (let pass = 0; pass < 5; pass++) {
  const begin = performance.now();
  for (const brief of briefs) inferTriggers(brief);
  warm.push(performance.now() - begin);
}
warm.sort((a, b) => a - b);

let keywordTotal = 0;
let withFiles = 0;
for (const { brief, inferred, diagnostics } of results) {
  keywordTotal += inferred.keywords.length;
  if (inferred.file_patterns.length > 0) withFiles++;
  if (filter && !brief.id.includes(filter)) continue;
  console.log(`${brief.id} [${inferred.tier}]`);
  console.log(`  keywords: ${inferred.keywords.join(' | ')}`);
  if (inferred.file_patterns.length > 0) console.log(`  files:    ${inferred.file_patterns.join(' ')}`);
  if (inferred.regex.length > 0) console.log(`  regex:    ${inferred.regex.map((r) => r.pattern).join('  ')}`);
  console.log(`  lang/fw:  ${inferred.languages.join(',')} / ${inferred.frameworks.join(',')}  domains: ${inferred.domains.join(',')}`);
  if (full) {
    console.log(`  core:     ${inferred.core.join(' | ')}`);
    console.log(`  primary:  ${inferred.responsibilities.primary.join(' | ')}`);
    console.log(`  second.:  ${inferred.responsibilities.secondary.join(' | ')}`);
  }
  for (const d of diagnostics) console.log(`  ${d.code}: ${d.message}`);
}
console.log(
  `\n${results.length} briefs, ${(keywordTotal / results.length).toFixed(1)} keywords on average, ` +
    `${withFiles} with file patterns, ${results.filter((r) => r.inferred.keywords.length < 3).length} with < 3 keywords; ` +
    `inference took ${cold.toFixed(1)} ms cold (first pass, JIT warming up), ${warm[2]!.toFixed(1)} ms warm (median of 5)`,
);
