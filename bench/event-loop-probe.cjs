/**
 * Preloaded into the server process by bench/serve.ts (`node --require`): measures how long the
 * event loop is blocked while the load runs. SIGUSR2 starts the measured window (the bench sends
 * when the load starts) and the next SIGUSR2 ends it: then the histogram of event-loop delay
 * (perf_hooks) and a timeline of every stall past STALL_MS (when in the window, how long) are
 * written as JSON to the file CODEX_FLOW_LOOP_PROBE names.
 * CommonJS so it loads with `--require` into any build of the CLI, old or new.
 */
'use strict';
const { monitorEventLoopDelay, performance } = require('node:perf_hooks');
const { writeFileSync } = require('node:fs');

/** A stall this long is listed with its time: it shows in a route's p99 at the bench's rate. */
const STALL_MS = 10;
/** The timeline's clock ticks this often; a tick that comes late by more than STALL_MS is a stall. */
const TICK_MS = 2;

const file = process.env.CODEX_FLOW_LOOP_PROBE;
if (file) {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  let windowStart = performance.now();
  let last = performance.now();
  const stalls = [];
  const tick = setInterval(() => {
    const now = performance.now();
    const late = now - last - TICK_MS;
    if (late > STALL_MS) stalls.push({ at_ms: Math.round(last - windowStart), stalled_ms: Math.round(late) });
    last = now;
  }, TICK_MS);
  tick.unref();
  let measuring = false;
  process.on('SIGUSR2', () => {
    if (!measuring) {
      histogram.reset();
      stalls.length = 0;
      windowStart = performance.now();
      measuring = true;
      return;
    }
    const ms = (value) => Math.round((value / 1e6) * 10) / 10;
    const report = {
      window_ms: Math.round(performance.now() - windowStart),
      p50_ms: ms(histogram.percentile(50)),
      p99_ms: ms(histogram.percentile(99)),
      max_ms: ms(histogram.max),
      stalls,
    };
    writeFileSync(file, JSON.stringify(report));
    measuring = false;
  });
}
