/**
 * Secret scrubbing for anything that leaves the process: logs, error messages, bench files,
 * `--json` output. Two nets: the exact values of the keys we were configured with (wherever they
 * appear, even inside a URL or an echoed request), and the shapes of well-known credentials
 * (`sk-…` keys, `Bearer …` tokens, `api_key=…` pairs, `user:password@` in URLs) for keys we
 * were never told about.
 * Object keys that name a credential (`authorization`, `apiKey`, `token`…) have their values
 * replaced whole.
 *
 * @example
 * const redactor = new Redactor(['sk-live-123456']);
 * redactor.text('401 for key sk-live-123456'); // '401 for key [redacted]'
 */

export const REDACTED = '[redacted]';

/** Values shorter than this are not scrubbed by value: "1" or "dev" would mangle ordinary text. */
const MIN_SECRET_LENGTH = 6;

const SECRET_SHAPES: ReadonlyArray<[RegExp, string]> = [
  // OpenAI (sk-, sk-proj-) and Anthropic (sk-ant-) keys, and lookalikes from gateways.
  [/\bsk-[A-Za-z0-9_-]{8,}/g, REDACTED],
  [
    /\b(x-api-key|api[-_]?key|access[-_]?token|auth[-_]?token|token|authorization|password|secret)(["']?\s*[:=]\s*["']?)((?:Bearer|Basic)\s+)?([^\s"'&,;}]+)/gi,
    `$1$2$3${REDACTED}`,
  ],
  // Credentials in a URL's user-info (`https://user:pass@gateway/v1`, `redis://:pass@host`), as a base URL may carry them.
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@:]*:[^\s/?#@]+@/gi, `$1${REDACTED}@`],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi, `$1 ${REDACTED}`],
];

/** Environment or object keys whose values are credentials. */
export const SECRET_NAME = /authorization|api[-_]?key|secret|passw(or)?d|cookie|credential|token$/i;

export class Redactor {
  private readonly secrets: string[];

  constructor(secrets: Iterable<string> = []) {
    this.secrets = [...new Set([...secrets].filter((s) => s.length >= MIN_SECRET_LENGTH))].sort((a, b) => b.length - a.length);
  }

  /** The length of the longest secret known by value (0 without one): a stream holds back one less. */
  get longestSecret(): number {
    return this.secrets[0]?.length ?? 0;
  }

  /**
   * `cut` moved back to the start of any known secret in `text` that begins before it and ends
   * after it, so cutting a stream there never splits a whole secret across two pieces.
   */
  safeCut(text: string, cut: number): number {
    let safe = cut;
    for (const secret of this.secrets)
      for (let at = text.lastIndexOf(secret, cut - 1); at >= 0 && at + secret.length > cut; at = text.lastIndexOf(secret, at - 1))
        safe = Math.min(safe, at);
    return safe;
  }

  /** A redactor that also knows `more` secrets. */
  with(more: Iterable<string>): Redactor {
    return new Redactor([...this.secrets, ...more]);
  }

  text(input: string): string {
    let output = input;
    for (const secret of this.secrets) if (output.includes(secret)) output = output.split(secret).join(REDACTED);
    for (const [pattern, replacement] of SECRET_SHAPES) output = output.replace(pattern, replacement);
    return output;
  }

  /** A deep copy of `input` with every string scrubbed and credential-named keys replaced. */
  value<T>(input: T): T {
    return this.walk(input, new WeakSet()) as T;
  }

  private walk(input: unknown, seen: WeakSet<object>): unknown {
    if (typeof input === 'string') return this.text(input);
    if (input === null || typeof input !== 'object') return input;
    if (seen.has(input)) return '[circular]';
    seen.add(input);
    if (Array.isArray(input)) return input.map((item) => this.walk(item, seen));
    if (input instanceof Error) {
      const json = (input as { toJSON?: () => unknown }).toJSON?.();
      return this.walk(json ?? { name: input.name, message: input.message }, seen);
    }
    const output: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(input)) {
      output[key] = SECRET_NAME.test(key) && typeof value === 'string' && value !== '' ? REDACTED : this.walk(value, seen);
    }
    return output;
  }
}

/**
 * Environment names whose values are credentials. Wider than SECRET_NAME (object keys): a
 * variable called `GITHUB_PAT`, `SENTRY_DSN` or `SESSION_COOKIE` is a secret. `AUTH` counts as a
 * word part (`NPM_AUTH`, `AUTH_TOKEN`) or in AUTHORIZATION, and a session only as its key, token,
 * secret or id: `GIT_AUTHOR_NAME` and `DESKTOP_SESSION` hold a person's name and a desktop's, and
 * scrubbing those mangles every record that mentions them.
 */
const SECRET_ENV_NAME =
  /KEY|TOKEN|SECRET|PASSW(OR)?D|CREDENTIAL|AUTHORIZATION|(^|_)AUTH(_|$)|COOKIE|(^|_)SESSION_(KEY|TOKEN|SECRET|ID)(_|$)|(^|_)PAT$|(^|_)DSN$/i;

/**
 * The password of a `scheme://user:password@host` value, or undefined. Connection strings
 * (`DATABASE_URL`, `MEM_REDIS_URL`) carry one under a name that says nothing about it.
 *
 * @example urlPassword('redis://:hunter22@cache:6379') // 'hunter22'
 */
export function urlPassword(value: string | undefined): string | undefined {
  const match = value ? /^[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*:([^\s/?#@]+)@/i.exec(value.trim()) : null;
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return match[1]!;
  }
}

/**
 * The secret values in an environment: every variable whose name says it holds a credential (and,
 * for a comma-separated list, each item), and the password of every variable holding a URL with
 * one (as written and percent-decoded).
 *
 * @example secretsFromEnv({ OPENAI_API_KEY: 'sk-…', DATABASE_URL: 'postgres://app:pw123456@db/app', HOME: '/root' }) // ['sk-…', 'pw123456']
 */
export function secretsFromEnv(env: Record<string, string | undefined>): string[] {
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!value) continue;
    // A list of credentials (CODEX_FLOW_TOKENS=a,b) holds each one: each is a secret of its own.
    if (SECRET_ENV_NAME.test(name))
      secrets.push(
        value,
        ...value
          .split(',')
          .map((part) => part.trim())
          .filter((part) => part !== '' && part !== value),
      );
    const password = urlPassword(value);
    if (password) secrets.push(password, encodeURIComponent(password));
  }
  return secrets;
}
