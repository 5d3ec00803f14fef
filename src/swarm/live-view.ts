/**
 * The live tree on a terminal: each swarm event updates the state (live-tree.ts) and asks for a
 * redraw; redraws happen at most once per REDRAW_INTERVAL_MS (a burst of events is one frame),
 * and once a second while subtasks run so their elapsed times move. A frame replaces the one
 * before it (cursor up over its lines, clear to the end of the screen). Not a TTY, or `--json`:
 * the CLI prints the plain line log instead and this is never made.
 *
 * @example
 * const view = new LiveView(plan, (text) => process.stderr.write(text));
 * const result = await runSwarm(plan, { …, onEvent: (event) => view.onEvent(event) });
 * view.close();
 */
import type { SwarmEvent } from './event-log.js';
import { applyLiveEvent, liveState, renderLiveTree, type LiveState } from './live-tree.js';
import type { RoutedPlan } from './plan.js';

/** Ten frames a second at most: smooth to read, and a 1,000-subtask swarm's events cost a handful of frames, not one each. */
export const REDRAW_INTERVAL_MS = 100;
/** Elapsed times shown to a tenth of a second move visibly once a second without redrawing for nothing. */
const TICK_MS = 1_000;

export class LiveView {
  private state: LiveState;
  private drawnLines = 0;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private pending: NodeJS.Timeout | undefined;
  private readonly ticker: NodeJS.Timeout;
  /** Frames written so far (tests check the rate bound). */
  frames = 0;

  constructor(
    plan: RoutedPlan,
    private readonly write: (text: string) => void,
    options: { completed?: Iterable<string>; clock?: () => number; width?: number } = {},
  ) {
    this.clock = options.clock ?? Date.now;
    this.width = options.width ?? 120;
    let state = liveState(plan);
    for (const id of options.completed ?? [])
      state = applyLiveEvent(state, { event: 'subtask-finished', id, outcome: { ms: 0, cost_usd: null } });
    this.state = state;
    this.ticker = setInterval(() => {
      if ([...this.state.subtasks.values()].some((subtask) => subtask.state === 'running')) this.request();
    }, TICK_MS);
    this.ticker.unref();
  }

  private readonly clock: () => number;
  private readonly width: number;

  onEvent(event: SwarmEvent): void {
    this.state = applyLiveEvent(this.state, event);
    this.request();
  }

  /** The last frame, drawn at once; no redraws after it. */
  close(): void {
    clearInterval(this.ticker);
    if (this.pending) clearTimeout(this.pending);
    this.pending = undefined;
    this.draw();
  }

  private request(): void {
    if (this.pending) return;
    const wait = Math.max(0, this.lastDraw + REDRAW_INTERVAL_MS - this.clock());
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.draw();
    }, wait);
    this.pending.unref();
  }

  private draw(): void {
    const frame = renderLiveTree(this.state, this.clock(), this.width);
    // Cursor to the start of the previous frame's first line, then clear to the end of the screen.
    this.write(`${this.drawnLines > 0 ? `\u001b[${this.drawnLines}F\u001b[J` : ''}${frame}`);
    this.drawnLines = frame.split('\n').length - 1;
    this.lastDraw = this.clock();
    this.frames++;
  }
}
