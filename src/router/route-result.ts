/**
 * The object `route` returns. Plain data, except `routeId`: hashing the fleet and the inputs
 * (JSON + sha256) costs a sizeable share of a short route (docs/routing.md, "Time budget of a
 * route"), and most callers never read it, so it is an own enumerable accessor that hashes when
 * read. JSON output, `Object.keys` and deep equality see the same keys, in the same order, as a
 * plain object: `routeId` first, `fired` after `diagnostics` when learning is on, `fallback` last
 * when the router sets one. The accessor is defined with one shared descriptor (its getter reads
 * private fields), so every result has the same object shape.
 */
import { routeId } from './request.js';
import type { FiredTriggers } from './fired-triggers.js';
import type { RouteFollowUp } from './follow-ups.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { RouteCandidate, RouteEvent, RouteRequest, RouteResult, StageName } from './types.js';

export class StagedRouteResult implements RouteResult {
  // `declare`: no field initializers, so the constructor alone sets the keys and their order.
  declare readonly routeId: string;
  declare candidates: RouteCandidate[];
  declare considered: number;
  declare stagesFired: StageName[];
  declare events: RouteEvent[];
  declare followUps: RouteFollowUp[];
  declare diagnostics: Diagnostic[];
  declare fired?: string[];
  declare fallback?: RouteResult['fallback'];
  readonly #fleetHash: string;
  readonly #request: RouteRequest;

  static readonly #routeIdProperty: PropertyDescriptor = {
    enumerable: true,
    get(this: StagedRouteResult): string {
      return routeId(this.#fleetHash, this.#request);
    },
  };

  /** `fired`: the triggers that fired, given only when a learned model is attached (what learning records). */
  constructor(
    fleetHash: string,
    request: RouteRequest,
    candidates: RouteCandidate[],
    considered: number,
    stagesFired: StageName[],
    diagnostics: Diagnostic[],
    fired?: FiredTriggers,
  ) {
    // Defined first: `routeId` is the first key of the JSON output.
    Object.defineProperty(this, 'routeId', StagedRouteResult.#routeIdProperty);
    this.candidates = candidates;
    this.considered = considered;
    this.stagesFired = stagesFired;
    this.events = [];
    this.followUps = [];
    this.diagnostics = diagnostics;
    if (fired) this.fired = fired.fired;
    this.#fleetHash = fleetHash;
    this.#request = request;
  }
}
