/**
 * The object `route` returns. Plain data, except `routeId` and `fired`: hashing the fleet and the
 * inputs (JSON + sha256) costs more than a route, and most callers never read it, so it is an own
 * enumerable accessor that hashes when read; `fired` (learning on) is one too, its keys built
 * when read (fired-triggers.ts). JSON output, `Object.keys` and deep equality see the same keys,
 * in the same order, as a plain object. The accessor is defined with one shared descriptor (its
 * getter reads private fields), so every result has the same object shape.
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
  #fired: FiredTriggers | string[] | undefined;

  static readonly #routeIdProperty: PropertyDescriptor = {
    enumerable: true,
    get(this: StagedRouteResult): string {
      return routeId(this.#fleetHash, this.#request);
    },
  };

  /** `fired`, like `routeId`: an own enumerable accessor, its keys built when first read (fired-triggers.ts). */
  static readonly #firedProperty: PropertyDescriptor = {
    enumerable: true,
    get(this: StagedRouteResult): string[] | undefined {
      const fired = this.#fired;
      return fired === undefined || Array.isArray(fired) ? fired : fired.fired;
    },
    set(this: StagedRouteResult, keys: string[]): void {
      this.#fired = keys;
    },
  };

  constructor(
    fleetHash: string,
    request: RouteRequest,
    candidates: RouteCandidate[],
    considered: number,
    stagesFired: StageName[],
    diagnostics: Diagnostic[],
  ) {
    // Defined first: `routeId` is the first key of the JSON output.
    Object.defineProperty(this, 'routeId', StagedRouteResult.#routeIdProperty);
    this.candidates = candidates;
    this.considered = considered;
    this.stagesFired = stagesFired;
    this.events = [];
    this.followUps = [];
    this.diagnostics = diagnostics;
    this.#fleetHash = fleetHash;
    this.#request = request;
  }

  /** Sets `fired` (learning on), in key order after `diagnostics`, as assigning it did. */
  setFired(fired: FiredTriggers): void {
    this.#fired = fired;
    Object.defineProperty(this, 'fired', StagedRouteResult.#firedProperty);
  }
}
