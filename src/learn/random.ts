/**
 * A seedable random source for Thompson sampling and the simulations: the same seed gives the
 * same draws on every machine, so `--explore on --seed 7` is reproducible and tests are exact.
 *
 * Naive approach: `Math.random()` — unseedable, so an exploring decision could never be replayed.
 * What we do: mulberry32 (32-bit state, passes the usual statistical batteries for this use),
 * normal draws by Box–Muller, Gamma draws by Marsaglia–Tsang, Beta as a ratio of Gammas.
 * Invariants: a `Random` owns its state; nothing here reads the clock or global state.
 */

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
}

/**
 * mulberry32: a 32-bit generator with one word of state.
 *
 * @example const random = createRandom(42); random.next() // 0.6011037519201636
 */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  return {
    next(): number {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

/** A standard normal draw (Box–Muller; the second value is thrown away to stay stateless). */
export function normal(random: Random): number {
  const u = 1 - random.next();
  const v = random.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Gamma(shape, 1) by Marsaglia–Tsang; shapes below 1 use the boost Gamma(a+1)·U^(1/a). */
export function gamma(random: Random, shape: number): number {
  if (shape < 1) return gamma(random, shape + 1) * Math.pow(1 - random.next(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - random.next();
    if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/**
 * A Beta(alpha, beta) draw: the posterior sample Thompson sampling ranks on.
 *
 * @example beta(createRandom(1), 3, 1) // a value near 0.75 on average
 */
export function beta(random: Random, alpha: number, betaParameter: number): number {
  const x = gamma(random, alpha);
  const y = gamma(random, betaParameter);
  return x + y === 0 ? 0.5 : x / (x + y);
}

/** A fresh seed when the user gave none (recorded with the decision so it can be replayed). */
export function freshSeed(): number {
  return (Math.random() * 4294967296) >>> 0;
}
