/**
 * Keyword automaton benchmark: our typed-array DFA (src/router/stages/keyword/aho-corasick.ts) against the npm
 * libraries the issue names, on the corpora's keywords (replicated to the 1,000- and 10,000-agent
 * vocabularies) and 500-character tasks. Every library gets lower-cased text; ours folds case
 * itself. Build time and one scan per call are reported. Run: npx tsx bench/aho-corasick.ts
 */
import { Bench } from 'tinybench';
import ModernAhoCorasick from 'modern-ahocorasick';
import FastModernAhoCorasick from 'modern-ahocorasick/fast';
import { AhoCorasick as MonyoneAhoCorasick } from '@monyone/aho-corasick';
import { createRequire } from 'node:module';
import { AhoCorasick } from '../src/router/stages/keyword/aho-corasick.js';
import { compiledCorpora, syntheticTable, taskOf } from './router-fleet.js';

const LegacyAhoCorasick = createRequire(import.meta.url)('ahocorasick') as new (keywords: string[]) => { search(text: string): unknown[] };
const corpora = compiledCorpora();
const out = new Int32Array(16384);
for (const size of [1000, 10000]) {
  const keywords = Object.keys(syntheticTable(corpora, size).keywords);
  const tasks = [0, 1, 2, 3].map((seed) => taskOf(corpora, 500, seed * 17));
  const lower = tasks.map((t) => t.toLowerCase());
  const builds: Array<[string, () => { scan: (i: number) => unknown }]> = [
    [
      'ours (typed-array DFA)',
      () => {
        const a = new AhoCorasick(keywords);
        return { scan: (i) => a.scan(tasks[i]!, tasks[i]!.length, out) };
      },
    ],
    [
      'modern-ahocorasick',
      () => {
        const a = new ModernAhoCorasick(keywords);
        return { scan: (i) => a.search(lower[i]!) };
      },
    ],
    [
      'modern-ahocorasick/fast',
      () => {
        const a = new FastModernAhoCorasick(keywords);
        return { scan: (i) => a.search(lower[i]!) };
      },
    ],
    [
      '@monyone/aho-corasick',
      () => {
        const a = new MonyoneAhoCorasick(keywords);
        return { scan: (i) => a.matchInText(lower[i]!) };
      },
    ],
    [
      'ahocorasick',
      () => {
        const a = new LegacyAhoCorasick(keywords);
        return { scan: (i) => a.search(lower[i]!) };
      },
    ],
  ];
  const bench = new Bench({ time: 300, warmupTime: 50 });
  const buildMs: Record<string, number> = {};
  for (const [name, build] of builds) {
    const started = performance.now();
    const matcher = build();
    buildMs[name] = performance.now() - started;
    let i = 0;
    bench.add(name, () => {
      matcher.scan(i++ & 3);
    });
  }
  await bench.run();
  console.log(`\n${keywords.length} keywords (${size}-agent fleet), 500-char tasks`);
  console.log('| library | build ms | scan median µs |\n|---|---:|---:|');
  for (const task of bench.tasks) {
    const p50 = (task.result as { latency?: { p50?: number } }).latency?.p50 ?? NaN;
    console.log(`| ${task.name} | ${buildMs[task.name]!.toFixed(0)} | ${(p50 * 1000).toFixed(1)} |`);
  }
}
