/**
 * The agents that can still make the top n once R is drawn: one pass over the board's touched
 * agents, keeping a small sorted buffer of the best totals (plain numbers, no comparator calls).
 */
import { TERM_TOTAL, type ScoreBoard } from '../../score.js';

export interface NearTopBuffers {
  /** kth[limit − 1]: the limit-th best total (-Infinity with fewer agents). */
  kth: Float64Array;
  /** The listed agents, in touched order. */
  near: Int32Array;
}

/**
 * Lists in `buffers.near`, in touched order, every agent whose total was within `slack` of the
 * limit-th best seen so far, and returns how many. That best only rises, so every agent within
 * `slack` of the final one is listed, and the caller's second pass reads the few listed instead
 * of every candidate.
 */
export function nearTop(board: ScoreBoard, limit: number, slack: number, buffers: NearTopBuffers): number {
  const values = board.values;
  const stride = board.stride;
  if (buffers.kth.length < limit) buffers.kth = new Float64Array(limit);
  if (buffers.near.length < board.touchedCount) buffers.near = new Int32Array(board.touchedCount * 2);
  const best = buffers.kth;
  const near = buffers.near;
  best[limit - 1] = -Infinity;
  let filled = 0;
  let count = 0;
  for (let i = 0; i < board.touchedCount; i++) {
    const agent = board.touched[i]!;
    const total = values[agent * stride + TERM_TOTAL]!;
    // Written always, kept when near: no branch to mispredict on every candidate.
    near[count] = agent;
    count += total >= best[limit - 1]! - slack ? 1 : 0;
    if (filled === limit && total <= best[limit - 1]!) continue;
    let at = filled < limit ? filled++ : limit - 1;
    while (at > 0 && best[at - 1]! < total) {
      best[at] = best[at - 1]!;
      at--;
    }
    best[at] = total;
  }
  return count;
}
