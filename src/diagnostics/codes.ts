/**
 * Every diagnostic code codex-flow can emit, in one table. Codes are stable: a code is never
 * reused for a different problem, so users can grep for them, suppress them and pin them in tests.
 *
 * Ranges: CF1xxx reading and parsing briefs · CF2xxx normalizing keys, tools, models, names ·
 * CF3xxx trigger inference (CF32xx the model reranker) · CF4xxx schema validation and the `codex:` block · CF5xxx fleet-level
 * checks (duplicates, delegations, compiled output) · CF6xxx router (CF66xx learning) · CF7xxx providers ·
 * CF8xxx runner · CF9xxx configuration and command-line usage.
 */
import type { Severity } from './diagnostic.js';

export interface CodeEntry {
  severity: Severity;
  title: string;
  hint?: string;
}

export const CODES = {
  // ── CF1xxx: reading and parsing ────────────────────────────────────────────
  CF1001: { severity: 'error', title: 'brief cannot be read', hint: 'check the file exists and is readable' },
  CF1002: { severity: 'error', title: 'brief too large', hint: 'split the brief; the limit is MAX_BRIEF_BYTES' },
  CF1003: { severity: 'warning', title: 'invalid UTF-8 replaced', hint: 'save the file as UTF-8' },
  CF1004: { severity: 'error', title: 'binary file', hint: 'only Markdown briefs belong under the agents folder' },
  CF1005: { severity: 'info', title: 'byte order mark removed' },
  CF1006: { severity: 'info', title: 'CRLF line endings normalized' },
  CF1050: {
    severity: 'error',
    title: 'brief folder is a link out of the project',
    hint: 'point compiler.src (or --src) at the real folder, or copy the briefs into the project',
  },
  CF1051: {
    severity: 'error',
    title: 'brief is not a regular file (a FIFO, device or socket)',
    hint: 'only Markdown files belong under the agents folder',
  },
  CF1052: {
    severity: 'error',
    title: 'brief is a link out of the brief folder',
    hint: 'copy the file into the brief folder instead of linking to it',
  },
  CF1053: {
    severity: 'warning',
    title: 'folder link not followed (it leaves the brief folder or loops back)',
    hint: 'remove the link, or move the briefs it points to into the brief folder',
  },
  CF1054: {
    severity: 'error',
    title: 'brief folder too large to walk',
    hint: 'point compiler.src at the agents folder, or exclude big folders with compiler.exclude',
  },
  CF1055: {
    severity: 'info',
    title: 'nothing published: a brief could not be read',
    hint: 'fix the briefs named above; the compiled fleet stays as it was',
  },
  CF1056: {
    severity: 'error',
    title: 'YAML alias inside the value it names (a cycle)',
    hint: 'repeat the value instead of aliasing it, or move the anchor off the enclosing list or map',
  },
  CF1060: {
    severity: 'error',
    title: 'brief folder could not be listed',
    hint: "fix the folder's permissions (or remove it); nothing is published while its briefs cannot be seen",
  },
  CF1101: {
    severity: 'warning',
    title: 'no front-matter',
    hint: 'add a `---` block with `name:` and `description:` at the top of the file',
  },
  CF1102: { severity: 'warning', title: 'front-matter not at the start of the file', hint: 'move the `---` fence to the first line' },
  CF1103: { severity: 'warning', title: 'indented front-matter', hint: 'remove the indentation before the front-matter keys' },
  CF1104: { severity: 'warning', title: 'unusual fence', hint: 'fence front-matter with exactly `---`' },
  CF1105: { severity: 'error', title: 'front-matter not closed', hint: 'add a closing `---` line after the front-matter' },
  CF1110: { severity: 'error', title: 'invalid YAML in front-matter', hint: 'fix the YAML syntax at the position shown' },
  CF1111: { severity: 'warning', title: 'unquoted value contains ": " (recovered)', hint: 'quote the value: it contains ": "' },
  CF1112: { severity: 'warning', title: 'continuation line at column 0 (recovered)', hint: 'indent continuation lines or quote the value' },
  CF1113: { severity: 'warning', title: 'literal \\n in a plain scalar', hint: 'use a block scalar (`|`) for multi-line text' },
  CF1114: { severity: 'error', title: 'front-matter is not a mapping', hint: 'front-matter must be `key: value` lines' },
  CF1115: {
    severity: 'error',
    title: 'front-matter too deep or too large',
    hint: 'flatten the front-matter; limits are MAX_YAML_DEPTH and MAX_FRONT_MATTER_BYTES',
  },
  CF1116: { severity: 'error', title: 'duplicate key in front-matter', hint: 'keep one of the two keys: which one was meant is not clear' },
  // ── CF2xxx: normalizing ────────────────────────────────────────────────────
  CF2001: { severity: 'error', title: 'missing name', hint: 'add `name: my-agent` to the front-matter' },
  CF2002: { severity: 'warning', title: 'name derived from file name', hint: 'add `name:` to the front-matter' },
  CF2050: {
    severity: 'warning',
    title: 'name has no ASCII letters or digits: id taken from the file name or derived',
    hint: 'name the brief file in ASCII (e.g. data-analyst.md) to choose the id; the name stays as written',
  },
  CF2003: { severity: 'warning', title: 'name is not a slug', hint: 'use lowercase letters, digits and dashes in `name:`' },
  CF2004: { severity: 'info', title: 'name differs from the file name' },
  CF2005: { severity: 'error', title: 'no description', hint: 'add a `description:` saying when to use this agent' },
  CF2006: { severity: 'error', title: 'wrong type for a front-matter key', hint: 'see the expected type in the message' },
  CF2010: { severity: 'warning', title: 'misspelled tools key honoured', hint: 'rename the key to `tools:`' },
  CF2011: {
    severity: 'info',
    title: 'no tools declared: the agent gets none (deny by default)',
    hint: 'add `tools: Read, Grep, Glob` (or set `compiler.defaults.tools` in the config)',
  },
  CF2012: { severity: 'warning', title: 'unknown tool', hint: 'check the spelling against the Claude Code tool names' },
  CF2013: { severity: 'info', title: 'obsolete tool name mapped', hint: 'use the current tool name' },
  CF2014: { severity: 'info', title: 'MCP tool kept; the runner needs it configured' },
  CF2015: {
    severity: 'warning',
    title: 'agent name in tools treated as a delegation',
    hint: 'move agent names to `codex: { triggers: { delegations: { prefers: [...] } } }`',
  },
  CF2016: { severity: 'error', title: 'conflicting tools keys', hint: 'keep only `tools:`' },
  CF2017: { severity: 'info', title: 'tools defaulted from the fleet config' },
  CF2020: {
    severity: 'warning',
    title: 'unknown model',
    hint: 'use an alias (sonnet, opus, haiku, inherit) or a full model id, or add it to `compiler.models`',
  },
  CF2030: { severity: 'info', title: 'unknown front-matter key kept as an extension' },
  CF2031: { severity: 'warning', title: 'description taken from the body', hint: 'add a `description:` saying when to use this agent' },
  // ── CF3xxx: trigger inference ──────────────────────────────────────────────
  CF3001: {
    severity: 'warning',
    title: 'no triggers could be inferred',
    hint: "add `codex: { triggers: { keywords: [...] } }` or name the agent's topics in its description",
  },
  CF3002: { severity: 'info', title: 'triggers inferred' },
  CF3003: {
    severity: 'info',
    title: 'few triggers could be inferred',
    hint: "add `codex: { triggers: { keywords: [...] } }` or a \"Triggers on: '…', '…'\" list to the description",
  },
  // ── CF32xx: the model reranker (router.rerank, route --rerank) ───────────────
  CF3200: { severity: 'error', title: 'router.rerank setting is invalid', hint: 'fix the setting shown; docs/routing.md lists them' },
  CF3201: {
    severity: 'warning',
    title: "the reranker's answer was unusable twice: the lexical order stands",
    hint: 'try another model (router.rerank.model); the route itself is unaffected',
  },
  CF3202: { severity: 'info', title: "the reranker's first answer was repaired on the second try" },
  CF3203: {
    severity: 'warning',
    title: 'the reranker did not answer in time: the lexical order stands',
    hint: 'raise router.rerank.timeout_ms, or pick a faster model',
  },
  CF3204: {
    severity: 'warning',
    title: 'the rerank would pass its budget: the lexical order stands',
    hint: 'raise router.rerank.budget, lower router.rerank.k, or pick a cheaper model',
  },
  CF3205: {
    severity: 'warning',
    title: "the reranker's provider failed: the lexical order stands",
    hint: 'see the provider error; `codex-flow providers` checks the configuration',
  },
  CF3206: {
    severity: 'warning',
    title: 'rerank cache not usable: asking the model',
    hint: 'check that .codex-flow/rerank-cache/ is a writable folder',
  },
  // ── CF33xx: router embeddings (src/providers/embeddings, docs/routing.md "Embeddings") ──
  CF3300: {
    severity: 'error',
    title: 'invalid router.embeddings',
    hint: 'fix the key shown; provider is openai, ollama or compatible',
  },
  CF3301: {
    severity: 'warning',
    title: 'embedding provider failed: routed on words alone',
    hint: 'check the embedding provider (the message says what failed), or route with --embeddings off',
  },
  CF3302: {
    severity: 'warning',
    title: 'embedding provider not configured: routed on words alone',
    hint: 'set what the message names, or remove router.embeddings',
  },
  // ── CF4xxx: validation ─────────────────────────────────────────────────────
  CF4001: {
    severity: 'error',
    title: 'definition does not match the schema',
    hint: 'fix the field shown; the schema is codex-agent.schema.json',
  },
  CF4002: { severity: 'error', title: 'unknown key in the codex: block', hint: 'check the spelling against the schema' },
  CF4003: { severity: 'error', title: 'codex: block is not a mapping', hint: 'write `codex:` as a mapping of output sections' },
  CF4010: {
    severity: 'error',
    title: 'regex trigger does not compile in RE2',
    hint: 'RE2 has no backreferences or lookaround; rewrite the pattern',
  },
  CF4011: {
    severity: 'error',
    title: 'too many triggers',
    hint: 'the limits are MAX_KEYWORDS_PER_AGENT, MAX_REGEX_PER_AGENT and MAX_FILE_PATTERNS_PER_AGENT',
  },
  CF4012: { severity: 'error', title: 'invalid glob in file_patterns', hint: 'use picomatch glob syntax' },
  CF4050: {
    severity: 'error',
    title: 'glob in file_patterns has no linear-time form',
    hint: 'globs run on RE2: no negated extglob !(…), at most MAX_GLOB_LENGTH characters and MAX_GLOB_WILDCARDS wildcards',
  },
  // ── CF5xxx: fleet ──────────────────────────────────────────────────────────
  CF5001: { severity: 'error', title: 'duplicate agent id', hint: 'give one of the agents a different `name:`' },
  CF5002: { severity: 'warning', title: 'delegation to an unknown agent', hint: 'use the id of an agent in this fleet' },
  CF5003: { severity: 'error', title: 'no briefs found', hint: 'point --src at the folder holding your .md briefs' },
  CF5010: { severity: 'error', title: 'compiled output is stale', hint: 'run `codex-flow convert` and commit the result' },
  CF5011: { severity: 'error', title: 'compiled output is missing', hint: 'run `codex-flow convert` and commit the result' },
  CF5012: { severity: 'error', title: 'unexpected file in compiled output', hint: 'run `codex-flow convert` to remove it' },
  CF5020: { severity: 'error', title: 'index.json cannot be read', hint: 'run `codex-flow convert`' },
  CF5021: { severity: 'error', title: 'index and definition files disagree', hint: 'run `codex-flow convert`' },
  CF5022: { severity: 'error', title: 'triggers.json disagrees with the definitions', hint: 'run `codex-flow convert`' },
  CF5023: {
    severity: 'error',
    title: 'unsupported fleet format version',
    hint: 'recompile with this version of codex-flow: `codex-flow convert`',
  },
  CF5024: { severity: 'warning', title: 'fleet is older than its briefs', hint: 'run `codex-flow convert`' },
  CF5025: {
    severity: 'warning',
    title: 'the briefs of the fleet are not here',
    hint: 'run from the folder `codex-flow convert` ran in (brief paths are relative to it), or pass --no-stale-check',
  },
  CF5030: { severity: 'error', title: 'cannot write output', hint: 'check permissions and free space' },
  CF5050: {
    severity: 'error',
    title: 'refusing to publish into a folder that is not a fleet',
    hint: "pass --out (or compiler.out) naming an empty folder or the fleet's own folder, e.g. codex/agents",
  },
  CF5040: { severity: 'error', title: 'not a codex-flow fleet file', hint: 'run `codex-flow convert` to write the fleet again' },
  CF5041: {
    severity: 'error',
    title: 'fleet file has wrong-shaped fields',
    hint: 'run `codex-flow convert` to write the fleet again; do not edit index.json or triggers.json by hand',
  },
  CF5042: {
    severity: 'error',
    title: 'fleet file is not a regular file or is too large',
    hint: 'fleet files are regular files written by `codex-flow convert`: run it again',
  },
  CF5070: { severity: 'error', title: 'the routing image disagrees with the definitions', hint: 'run `codex-flow convert`' },
  CF5071: {
    severity: 'warning',
    title: 'the fleet has no routing image',
    hint: 'run `codex-flow convert`: `route` then starts without building its index first',
  },
  CF5100: {
    severity: 'warning',
    title: 'a tool call was refused below its autonomy level',
    hint: "raise the agent's `autonomy_level` (writes need 2, commands 3) or add a `runner.hooks.approve` command that approves it (exit 0)",
  },
  CF5101: {
    severity: 'info',
    title: 'autotune changed a setting',
    hint: '`codex-flow stats` lists the tuning log; `stats --reset-tuning` undoes it',
  },
  CF5102: {
    severity: 'warning',
    title: 'autotune skipped: the learning lock stayed busy',
    hint: 'another codex-flow process holds .codex-flow/learning.lock; the run goes on with the last tuned values',
  },
  CF5103: {
    severity: 'warning',
    title: 'the tuning file does not load',
    hint: 'it is kept aside as tuning.json.bad-<time> at the next change, and tuning starts over from the compiled values',
  },
  // ── CF6xxx: router ─────────────────────────────────────────────────────────
  CF6001: {
    severity: 'warning',
    title: 'task too long: only the first MAX_TASK_CHARS characters are routed',
    hint: 'shorten the task or route its summary',
  },
  CF6002: {
    severity: 'warning',
    title: 'changed paths capped or skipped',
    hint: 'route fewer paths (MAX_PATHS) or shorter ones (MAX_PATH_CHARS)',
  },
  CF6003: {
    severity: 'warning',
    title: 'regex trigger dropped by the router',
    hint: 'run `codex-flow convert`: it reports such patterns as CF4010',
  },
  CF6004: { severity: 'warning', title: 'glob trigger dropped by the router', hint: 'use picomatch glob syntax in file_patterns' },
  CF6005: {
    severity: 'warning',
    title: 'semantic model unavailable: routed without it',
    hint: 'check the embedding provider configuration and credentials',
  },
  CF6010: {
    severity: 'error',
    title: 'invalid line in a labels file',
    hint: 'each line must be {"task": "...", "files": [...], "expected": "id" | ["id", ...]}',
  },
  CF6011: {
    severity: 'warning',
    title: 'label expects an agent that is not in the fleet',
    hint: 'use agent ids (slugify(name)) from codex/agents/index.json',
  },
  CF6012: { severity: 'error', title: 'no such agent', hint: 'use an id from codex/agents/index.json' },
  // ── CF66xx: learning ───────────────────────────────────────────────────────
  CF6601: {
    severity: 'warning',
    title: 'unreadable line in a learning store skipped (torn write or hand edit)',
    hint: 'nothing to do: earlier and later records are intact; `codex-flow stats --compact` rewrites the store',
  },
  CF6602: {
    severity: 'info',
    title: 'brief changed: its learned state was reset or decayed',
    hint: 'set learning.on_brief_change to reset, decay or keep',
  },
  CF6603: {
    severity: 'error',
    title: 'unknown route id',
    hint: 'use the id `codex-flow route --explain` or `--json` printed (route:…), or name the agent with --agent ID',
  },
  CF6604: {
    severity: 'warning',
    title: 'learned-state snapshot unreadable: rebuilt from the outcome log',
    hint: 'delete .codex-flow/learned-state.json if this repeats',
  },
  CF6605: {
    severity: 'warning',
    title: 'outcome for an agent not in the fleet: kept in the log, not used for routing',
    hint: 'recompile the fleet, or ignore if the agent was removed',
  },
  CF6606: { severity: 'error', title: 'invalid learning setting', hint: 'fix the key under learning: in codex-flow.config.yaml' },
  // ── CF7xxx: providers ──────────────────────────────────────────────────────
  CF6700: {
    severity: 'warning',
    title: 'learned rules file unreadable: the run starts without rules',
    hint: 'the file is never written over: the next learned change moves it to rules.json.bad-<time> beside it; fix it there and move it back',
  },
  CF6701: { severity: 'error', title: 'no learned rule with that id', hint: 'run `codex-flow rules` to list the ids' },
  CF6720: {
    severity: 'warning',
    title: 'bench report unreadable: the tier ranking goes on without it',
    hint: 'rerun `codex-flow bench`, or delete the file named in the message',
  },
  CF6721: {
    severity: 'warning',
    title: 'hand-off tallies unreadable: delegation priors use the briefs alone',
    hint: 'the file is kept aside as handoffs.json.bad-<time> at the next write; `codex-flow stats --reset-tuning` starts it afresh',
  },
  CF7001: {
    severity: 'warning',
    title: 'invalid provider setting ignored',
    hint: 'set the variable to a non-negative number, or unset it',
  },
  CF7002: { severity: 'error', title: 'unknown provider', hint: 'run `codex-flow providers` to list the provider names' },
  CF7003: { severity: 'warning', title: 'provider not configured: skipped', hint: 'set the variable named in the message' },
  CF7004: { severity: 'warning', title: 'provider state file unreadable: starting clean', hint: 'delete .codex-flow/providers-state.json' },
  CF7010: { severity: 'error', title: 'provider call failed', hint: 'see the hint under the message' },
  CF7011: {
    severity: 'error',
    title: 'no provider could serve the request',
    hint: 'fix the first cause listed, or add a fallback provider',
  },
  CF7012: { severity: 'error', title: 'budget reached: partial results', hint: 'raise CODEX_FLOW_BUDGET_USD or --budget to continue' },
  CF7020: {
    severity: 'warning',
    title: 'budget nearly spent',
    hint: 'raise CODEX_FLOW_BUDGET_USD / providers.budgetUsd before the next run; providers.budgetWarnAt sets when this warns',
  },
  CF7021: {
    severity: 'warning',
    title: "model name not understood: the provider's own model runs",
    hint: "name sonnet, opus, haiku, inherit or a full model id in the brief's model:, or map the name under providers.models.<provider> in codex-flow.config.yaml",
  },
  CF7100: {
    severity: 'warning',
    title: 'providers.tiers entry ignored',
    hint: 'map a workload (orchestrator, reasoning, coding, librarian) to a list of provider or provider:model entries',
  },
  CF7101: {
    severity: 'warning',
    title: 'unknown provider in a tier chain: skipped',
    hint: 'run `codex-flow providers` to list the provider names',
  },
  CF7102: {
    severity: 'warning',
    title: 'provider listed twice in a tier chain: the later entry is skipped',
    hint: 'name one model per provider in a tier',
  },
  CF7103: {
    severity: 'warning',
    title: 'providers.tierChoice weight ignored',
    hint: 'the weights are success, speed and cost, each a number ≥ 0',
  },
  CF7022: {
    severity: 'warning',
    title: 'model table entry ignored',
    hint: 'fix or remove the entry under providers.models in codex-flow.config.yaml',
  },
  // ── CF8xxx: runner ─────────────────────────────────────────────────────────
  CF8001: {
    severity: 'error',
    title: 'queue full: task rejected (backpressure)',
    hint: 'retry later, lower the task rate, or raise runner.queue.max_queued / the alias max_parallel_tasks',
  },
  CF8002: {
    severity: 'error',
    title: 'unknown agent or alias',
    hint: 'use an id from codex/agents/index.json or an alias under runner.aliases',
  },
  CF8003: {
    severity: 'error',
    title: 'alias overrides make an invalid definition',
    hint: 'fix runner.aliases.<name>.overrides so the merged definition passes the schema',
  },
  CF8004: {
    severity: 'warning',
    title: 'tool not supported by the runner: not offered to the model',
    hint: 'configure an MCP bridge under runner.tools.mcp, or remove the tool from the brief',
  },
  CF8005: {
    severity: 'error',
    title: 'invalid task',
    hint: 'each tasks.jsonl line is {"task": "...", "agent"?: "id", "alias"?: "name", "files"?: [...], "priority"?: n}',
  },
  CF8006: { severity: 'error', title: 'task failed', hint: 'see the stop reason and the run record under .runs/<run-id>/' },
  CF8007: { severity: 'warning', title: 'hook failed: continuing', hint: 'fix the hook command or raise its timeout_ms' },
  CF8008: { severity: 'error', title: 'pre_task hook blocked the task (exit 2)', hint: 'see the hook output in the run record' },
  CF8009: {
    severity: 'warning',
    title: 'unknown log channel: ignored',
    hint: 'use file:<path>, stdout or stderr in observability.log_channels',
  },
  CF8010: {
    severity: 'warning',
    title: 'invalid runner setting: default used',
    hint: 'fix the key under runner: in codex-flow.config.yaml',
  },
  CF8011: {
    severity: 'error',
    title: 'routing found no agent for the task',
    hint: 'name the agent with --agent ID or --alias NAME, or add triggers to a brief',
  },
  CF8012: {
    severity: 'error',
    title: 'tool outside the allow-list called under --strict-tools',
    hint: "add the tool to the brief's tools: if the agent needs it",
  },
  CF8013: {
    severity: 'warning',
    title: 'memory store problem: continuing without memory',
    hint: 'check MEM_REDIS_URL or the memory folder',
  },
  CF8020: {
    severity: 'warning',
    title: 'Redis memory unreachable: using the file store',
    hint: 'start Redis or fix MEM_REDIS_URL / runner.memory.redis_url; set runner.memory.required: true to fail instead',
  },
  CF8021: {
    severity: 'error',
    title: 'Redis memory required but unreachable: nothing ran',
    hint: 'start Redis or fix MEM_REDIS_URL / runner.memory.redis_url, or drop runner.memory.required to fall back to files',
  },
  CF8022: {
    severity: 'error',
    title: "memory write failed: the task's memory is lost",
    hint: 'check the memory store (Redis up and answering, the memory folder writable); the task itself finished',
  },
  CF8023: {
    severity: 'warning',
    title: 'memory read failed: the task ran without memory context',
    hint: 'check the memory store (Redis up and answering, the memory folder readable)',
  },
  CF8040: {
    severity: 'warning',
    title: 'commands run without a sandbox',
    hint: 'install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap) or allow unprivileged user namespaces; --strict-tools refuses Bash meanwhile',
  },
  CF8050: {
    severity: 'warning',
    title: 'a protected glob covers, inside the command sandbox, only the files it matched at run start',
    hint: 'file tools refuse every match; Bash and hooks cannot change the files matched when the run started but can create new ones: name such paths without glob characters in runner.tools.protected',
  },
  // ── CF85xx: the task queue (BullMQ workers, src/queue) ─────────────────────
  CF8500: {
    severity: 'warning',
    title: 'invalid queue setting: default used',
    hint: 'fix the key under queue: in codex-flow.config.yaml (docs/queue.md)',
  },
  CF8501: {
    severity: 'error',
    title: "the queue's Redis is unreachable",
    hint: 'start Redis or fix queue.url / CODEX_FLOW_QUEUE_URL; unset both to run tasks in this process',
  },
  CF8502: {
    severity: 'error',
    title: 'a job needs a fleet this worker does not have',
    hint: 'compile the same briefs on the worker (`codex-flow convert`), or set queue.fleets to a folder every machine reads: runs publish their fleet there',
  },
  CF8503: {
    severity: 'error',
    title: 'the task failed in the queue after its retries',
    hint: '`codex-flow runs failed` lists it with the reason; `codex-flow runs retry <job-id>` queues it again',
  },
  CF8504: { severity: 'error', title: 'no such failed job', hint: '`codex-flow runs failed` lists the failed jobs and their ids' },
  CF8505: {
    severity: 'warning',
    title: 'worker stopped with jobs in hand: they go back to the queue',
    hint: 'another worker takes them after the stall interval (queue.stall_ms)',
  },
  // ── CF86xx: the task queue's Redis during a run (src/queue) ────────────────
  CF8600: {
    severity: 'error',
    title: "the queue's Redis was gone longer than queue.redis_grace_ms: the run stopped waiting",
    hint: 'bring Redis back: jobs already queued run on the workers then (`codex-flow queue stats`); run the tasks again (a swarm: `--resume`) to record them',
  },
  // ── CF81xx: swarm (plans, decomposer, DAG execution, event log) ─────────────
  CF8100: {
    severity: 'error',
    title: 'plan file cannot be read or parsed',
    hint: 'fix the YAML/JSON at the position shown; `codex-flow swarm "<goal>" --plan-only plan.yaml` writes a valid example',
  },
  CF8101: {
    severity: 'error',
    title: 'invalid plan',
    hint: 'a plan is `goal:` and `subtasks:` (a list of {id, task, agent?, depends_on?, files?, acceptance?})',
  },
  CF8102: { severity: 'error', title: 'duplicate subtask id', hint: 'give every subtask its own id' },
  CF8103: { severity: 'error', title: 'dependency on an unknown subtask', hint: 'depends_on lists ids of subtasks of the same plan' },
  CF8104: { severity: 'error', title: 'dependency cycle', hint: 'remove one of the depends_on edges named, so the plan is a DAG' },
  CF8105: {
    severity: 'warning',
    title: 'unknown agent in the plan: the subtask is routed instead',
    hint: 'use an id from codex/agents/index.json or an alias under runner.aliases, or drop `agent:` to let the router choose',
  },
  CF8106: { severity: 'error', title: 'too many subtasks', hint: 'split the goal into several swarms, or raise --max-subtasks' },
  CF8107: {
    severity: 'error',
    title: 'nothing to plan',
    hint: 'give a goal: codex-flow swarm "add rate limiting to the public API and document it", or --plan plan.yaml',
  },
  CF8108: { severity: 'error', title: 'no agent for a subtask', hint: 'name the agent in the plan (`agent:`), or add triggers to a brief' },
  CF8110: { severity: 'error', title: 'subtask failed', hint: 'see its stop reason, and the run record under .runs/<swarm-id>/' },
  CF8111: {
    severity: 'warning',
    title: 'subtask skipped: a dependency did not complete',
    hint: 'fix the failed subtask, then `codex-flow swarm --resume <swarm-id>` runs the rest',
  },
  CF8112: {
    severity: 'error',
    title: 'swarm cannot be resumed',
    hint: "give the id of a folder under .runs/ that holds a swarm's events.jsonl",
  },
  CF8113: {
    severity: 'warning',
    title: 'unreadable line in a swarm event log: skipped',
    hint: 'a crash can tear the last line; the rest of the log is used',
  },
  CF8115: {
    severity: 'warning',
    title: "the llm decomposer's plan could not be used: the heuristic plan is used",
    hint: 'see the reasons; check the provider, or write the plan yourself and pass --plan plan.yaml',
  },
  CF8116: { severity: 'info', title: "the planner's answer was repaired on the second try" },
  CF8117: {
    severity: 'warning',
    title: 'unknown reviewer: the subtask runs without a review',
    hint: 'use an id from codex/agents/index.json or an alias under runner.aliases as `reviewer:`',
  },
  CF8118: { severity: 'info', title: 'follow-up agents left out of the plan', hint: 'raise --max-subtasks, or pass --no-follow-ups' },
  CF8114: { severity: 'info', title: 'dependency results shortened to fit the prompt', hint: 'the full results are in the swarm report' },
  CF8119: {
    severity: 'warning',
    title: "a swarm's report.json is unreadable: replayed without it",
    hint: 'the event log still holds the run; `codex-flow swarm --resume <swarm-id>` writes a new report',
  },
  CF8120: {
    severity: 'error',
    title: 'the swarm is being run by another process',
    hint: 'wait for it to end (or stop it); a lock left by a killed process is taken over by the next run',
  },
  CF8131: {
    severity: 'warning',
    title: '--review found no reviewer agent in the fleet',
    hint: 'name a reviewer per subtask (`reviewer:` in the plan), or add a reviewer agent (an id with "review" or "audit")',
  },
  CF8132: {
    severity: 'info',
    title: '--review: no reviewer ranked for a subtask',
    hint: 'name one with `reviewer:` in the plan if it needs a review',
  },
  CF8130: {
    severity: 'error',
    title: '--plan-only would replace an existing plan file',
    hint: 'pass --force to replace it, or name another file',
  },
  CF8121: {
    severity: 'warning',
    title: 'a reviewer could not run: the work passed unreviewed',
    hint: "check the reviewer's provider and the budget; `codex-flow swarm --resume <swarm-id>` does not review completed work again",
  },
  CF8140: {
    severity: 'error',
    title: 'a queue job of another format: the worker refuses it',
    hint: 'run the same codex-flow version on the dispatching machine and on every worker; `codex-flow runs retry <id>` once they match',
  },
  CF8141: {
    severity: 'warning',
    title: "a run stream's entry of another format: left out of the run record",
    hint: 'run the same codex-flow version on the dispatching machine and on every worker',
  },
  // ── CF9xxx: configuration and usage ────────────────────────────────────────
  CF9001: { severity: 'error', title: 'invalid configuration', hint: 'fix the key shown in codex-flow.config.yaml' },
  CF9002: { severity: 'warning', title: 'unknown configuration key', hint: 'check the spelling against the documented keys' },
  CF9003: { severity: 'error', title: 'usage error', hint: 'run with --help' },
  CF9004: { severity: 'error', title: 'project already initialized', hint: 'use --force to overwrite the starter files' },
  CF9010: { severity: 'error', title: 'config file cannot be read', hint: 'make the config a readable regular file, or remove it' },
  CF9011: { severity: 'error', title: 'duplicate key in the config', hint: 'keep one of the two keys: which one was meant is not clear' },
  CF9012: {
    severity: 'warning',
    title: 'provider endpoint does not answer',
    hint: 'check the setting named in the message and that the server runs; `codex-flow providers --no-probe` skips the check',
  },
  CF9020: {
    severity: 'warning',
    title: 'could not update .gitignore',
    hint: 'add `.codex-flow/`, `.runs/` and `data/bench/` to .gitignore yourself: they hold local caches, learning state, run records and bench results',
  },
  CF9030: {
    severity: 'error',
    title: 'a file or folder the command needs cannot be used',
    hint: 'give your user write access to the path named, or free space on its disk',
  },
  CF9031: {
    severity: 'error',
    title: 'an input file cannot be read',
    hint: 'check the path (relative paths start where you typed the command) and that the file is readable',
  },
  CF9032: {
    severity: 'warning',
    title: 'the route was answered but its decision could not be recorded',
    hint: '`codex-flow feedback` cannot find this route: make .codex-flow/ writable, or pass --no-record',
  },
  CF9033: {
    severity: 'warning',
    title: 'nothing to route',
    hint: 'with `--files -`, pipe the changed paths in (`git diff --name-only main | codex-flow route --files -`)',
  },
  // ── CF970x: set-up and bench output ───────────────────────────────────────
  CF9700: {
    severity: 'error',
    title: 'init inside another project',
    hint: "run `codex-flow init` at that project's root, or pass --nested to start a separate project in this folder",
  },
  // ── CF95xx: the server (codex-flow serve) ──────────────────────────────────
  CF9500: { severity: 'error', title: 'invalid request body', hint: "send JSON matching the endpoint's schema in /openapi.json" },
  CF9501: { severity: 'error', title: 'request body too large', hint: 'send a smaller body: the server caps request bodies' },
  CF9502: {
    severity: 'error',
    title: 'missing or wrong bearer token',
    hint: 'send `Authorization: Bearer <token>` with a token listed in CODEX_FLOW_TOKENS or server.tokens',
  },
  CF9503: {
    severity: 'error',
    title: 'refusing to listen beyond loopback without a token',
    hint: 'set CODEX_FLOW_TOKENS (or server.tokens in the config), or bind to 127.0.0.1',
  },
  CF9504: {
    severity: 'error',
    title: 'no fleet is loaded',
    hint: 'run `codex-flow convert` in the project, then ask again (or start serve with --watch)',
  },
  CF9505: {
    severity: 'error',
    title: 'a brief change did not compile: the previous fleet keeps serving',
    hint: 'fix the brief named in the diagnostics; the next save reloads',
  },
  CF9506: {
    severity: 'error',
    title: 'no such run or swarm',
    hint: 'use the id POST /v1/runs or POST /v1/swarms returned; ids live as long as the server',
  },
  CF9507: { severity: 'error', title: 'the server is shutting down', hint: 'retry against the next server' },
  CF9508: {
    severity: 'error',
    title: 'invalid server option',
    hint: 'give --port an integer from 0 to 65535 and --host a host name or address',
  },
  CF9509: { severity: 'error', title: 'no such endpoint', hint: 'see /openapi.json for the endpoints' },
  CF9510: {
    severity: 'error',
    title: 'the run cannot start',
    hint: 'configure a provider for the server (`codex-flow providers`), or name a known agent',
  },
  CF9511: {
    severity: 'error',
    title: 'invalid server token setting',
    hint: 'list tokens as sha256:<64 hex digits> under server.tokens, or comma-separated in CODEX_FLOW_TOKENS',
  },
  CF9512: {
    severity: 'error',
    title: 'the provider call failed',
    hint: "check the server's providers (`codex-flow providers` on the server)",
  },
  CF9513: { severity: 'error', title: 'too many runs in flight', hint: 'wait for a run to end, then start the next one' },
  CF9514: {
    severity: 'error',
    title: 'internal error in the server',
    hint: 'a bug in codex-flow: the server log holds the stack; please report it',
  },
  CF9515: {
    severity: 'error',
    title: 'invalid project configuration: the server cannot open the fleet',
    hint: 'fix the `learning:` or `router:` section named in the message (codex-flow.config.yaml); `serve --watch` reads it again at the next brief change, otherwise start serve again',
  },
  // ── CF954x–CF955x: integrations (Claude Code hook, .claude/settings.json, pull-request comments) ──
  CF9540: {
    severity: 'error',
    title: '.claude/settings.json is not valid JSON: left untouched',
    hint: 'fix the JSON at the position shown (Claude Code reads the same file), then run `codex-flow init --claude-hooks` again',
  },
  CF9541: {
    severity: 'error',
    title: '.claude/settings.json has an unexpected shape: left untouched',
    hint: 'the file must be a JSON object whose `hooks` is an object and `hooks.UserPromptSubmit` a list of {matcher?, hooks: [...]} groups',
  },
  CF9542: { severity: 'error', title: 'could not write .claude/settings.json', hint: 'check that .claude/ is a writable folder' },
  CF9545: {
    severity: 'warning',
    title: 'hook input is not UserPromptSubmit JSON: no routing hint',
    hint: 'Claude Code writes {"prompt", "cwd", "session_id", "hook_event_name", ...} on stdin; to try it by hand: echo \'{"prompt":"add a resolver","cwd":"."}\' | codex-flow hook user-prompt',
  },
  CF9546: {
    severity: 'warning',
    title: 'no compiled fleet for the hook: no routing hint',
    hint: 'run `codex-flow convert` in the project (the hook reads codex/agents, or compiler.out)',
  },
  CF9547: {
    severity: 'warning',
    title: "the hook's route failed or ran out of time: no routing hint",
    hint: 'run `codex-flow route "<the prompt>"` in the project to see why; CODEX_FLOW_HOOK_TIMEOUT_MS raises the time cap',
  },
  // ── CF9550–CF9559: learning's verdicts ──
  CF9550: {
    severity: 'error',
    title: "this route already has a different verdict on the agent's work: nothing recorded",
    hint: 'a route takes one verdict per agent (the first stands, so one task is not counted twice); route the task again for a new decision, or give --agent for the agent the task was re-assigned to',
  },
  CF9551: {
    severity: 'info',
    title: 'this verdict was already recorded for the route: nothing added',
    hint: 'nothing to do: a repeated feedback (a retry) is counted once',
  },
  // ── CF960x: the server's hot reload (compile thread, watcher) ──
  CF9600: {
    severity: 'error',
    title: 'the hot-reload compile ran out of time and was cut',
    hint: 'the served fleet stays; run `codex-flow convert` to see what the compile does with these briefs',
  },
  CF9601: {
    severity: 'error',
    title: 'the hot-reload compile or reload failed (a bug in codex-flow)',
    hint: 'the served fleet stays and the next brief change tries again; report the message in the server log',
  },
  // ── CF961x: the server's work off the request path (decision batches) ──
  CF9610: {
    severity: 'error',
    title: 'route decisions could not be written to the decision log',
    hint: 'check that the learning folder (learning.dir, .codex-flow by default) is writable and the disk has room; feedback on those routes records without their context',
  },
  // ── CF962x: the server's request handling and its bounds under load ──
  CF9620: {
    severity: 'error',
    title: 'the endpoint does not take this method',
    hint: 'use a method the Allow header lists; /openapi.json has every endpoint and its methods',
  },
  CF9621: {
    severity: 'warning',
    title: 'route decisions were dropped: the decision log is written slower than routes arrive',
    hint: 'check the disk of the learning folder (learning.dir); feedback on the dropped routes records without their context',
  },
  CF9622: {
    severity: 'error',
    title: 'a background compaction of the outcome log failed',
    hint: 'the outcomes stay in the log and the next compaction tries again; check that the learning folder is writable',
  },
} as const satisfies Record<string, CodeEntry>;

export type DiagnosticCode = keyof typeof CODES;
