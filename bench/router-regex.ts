/**
 * Regex stage sharding benchmark: why RE2 sets are sharded and how big the shards are.
 * 1. Compile: one RE2.Set of ~8,700 patterns, or of 1,000 counted wildcards, fails (RE2's memory
 *    budget); the stage's shards, split in half on failure, build.
 * 2. Scan: 1,000 wildcard-heavy patterns (`\bA\b.*\bB\b`) and 1,000 light ones on 2,000-character
 *    tasks, as one set and as shards of several sizes, plus the RegexStage as configured.
 * The naive reference (V8 RegExp per pattern) runs in the same table.
 * Run: npx tsx bench/router-regex.ts
 */
import RE2 from 're2';
import { Bench } from 'tinybench';
import { HEAVY_PATTERNS_PER_SET, LIGHT_PATTERNS_PER_SET, RegexStage } from '../src/router/stages/regex/regex-stage.js';
import { REGEX_FLAGS } from '../src/router/regex-check.js';
import type { HitBuffers } from '../src/router/types.js';
import { emptyHitBuffers } from '../test/support/hit-buffers.js';

const WORDS =
  'api graph resolver order kube docker test lint react vue node python rust go java kafka spark data model train deploy infra cloud security audit perf cache query index schema migration design mobile ios android flutter'.split(
    ' ',
  );
let seed = 7;
const pick = () => WORDS[(seed = (seed * 1103515245 + 12345) % 2147483648) % WORDS.length]!;
const heavy = Array.from({ length: 1000 }, () => `\\b${pick()}\\b.*\\b${pick()}\\b`);
const counted = Array.from({ length: 1000 }, () => `${pick()}.{0,40}${pick()}`);
const light = Array.from({ length: 8700 }, (_, i) => (i % 2 ? `\\b(${pick()}|${pick()})s?-?${i}\\b` : `${pick()}[-_ ]?${pick()}x${i}`));
const task = Array.from({ length: 400 }, pick).join(' ').slice(0, 2000);

console.log('| patterns | as | sets | result |\n|---|---|---:|---|');
try {
  new RE2.Set(light, REGEX_FLAGS);
  console.log(`| ${light.length} light | one set | 1 | compiled |`);
} catch (error) {
  console.log(`| ${light.length} light | one set | 1 | fails: ${(error as Error).message} |`);
}
const big = new RegexStage();
light.forEach((pattern, i) => big.add({ pattern, priority: 5 }, [i]));
console.log(
  `| ${light.length} light | RegexStage (${LIGHT_PATTERNS_PER_SET}/set) | ${big.build().length === 0 ? big.shardCount : 'dropped some'} | compiled |`,
);

try {
  new RE2.Set(counted, REGEX_FLAGS);
  console.log(`| ${counted.length} counted (.{0,40}) | one set | 1 | compiled |`);
} catch (error) {
  console.log(`| ${counted.length} counted (.{0,40}) | one set | 1 | fails: ${(error as Error).message} |`);
}
const halved = new RegexStage();
counted.forEach((pattern, i) => halved.add({ pattern, priority: 5 }, [i]));
console.log(
  `| ${counted.length} counted (.{0,40}) | RegexStage (split on failure) | ${halved.build().length === 0 ? halved.shardCount : 'dropped some'} | compiled |`,
);

const hits = (): HitBuffers => emptyHitBuffers();
function shards(patterns: string[], size: number) {
  const sets: Array<InstanceType<typeof RE2.Set>> = [];
  for (let i = 0; i < patterns.length; i += size) sets.push(new RE2.Set(patterns.slice(i, i + size), REGEX_FLAGS));
  return () => {
    const input = Buffer.from(task);
    for (const set of sets) set.match(input);
  };
}
const bench = new Bench({ time: 400, warmupTime: 50 });
for (const [name, patterns] of [
  ['heavy', heavy],
  ['light', light.slice(0, 1000)],
] as const) {
  for (const size of [1000, 256, 128, 32]) bench.add(`${name} ×1000, sets of ${size}`, shards([...patterns], size));
  const stage = new RegexStage();
  patterns.forEach((pattern, i) => stage.add({ pattern, priority: 5 }, [i]));
  stage.build();
  const buffers = hits();
  bench.add(`${name} ×1000, RegexStage (${stage.shardCount} sets)`, () => {
    buffers.regexHits.length = 0;
    stage.match(task, buffers);
  });
  const compiled = patterns.map((p) => new RegExp(p, 'iu'));
  bench.add(`${name} ×1000, naive V8 RegExp loop`, () => {
    for (const regex of compiled) regex.test(task);
  });
}
bench.add(`counted ×1000, RegexStage (${halved.shardCount} sets)`, () => {
  const b = hits();
  halved.match(task, b);
});
bench.add(`light ×8700, RegexStage (${big.shardCount} sets)`, () => {
  const b = hits();
  big.match(task, b);
});
await bench.run();
console.log(
  `\n2,000-character task; HEAVY_PATTERNS_PER_SET = ${HEAVY_PATTERNS_PER_SET}, LIGHT_PATTERNS_PER_SET = ${LIGHT_PATTERNS_PER_SET}\n`,
);
console.log('| case | median µs |\n|---|---:|');
for (const t of bench.tasks)
  console.log(`| ${t.name} | ${(((t.result as { latency?: { p50?: number } }).latency?.p50 ?? NaN) * 1000).toFixed(1)} |`);
