/** The files `codex-flow init` writes: a config with every compiler default spelled out, and two
 * briefs that show the format (one specialist with explicit triggers, one generalist fallback).
 * They compile with no diagnostic at all, notes included (test/cli/init.test.ts): a starter that
 * warns teaches users to ignore warnings. */
export const STARTER_FILES: Record<string, string> = {
  'codex-flow.config.yaml': `# codex-flow configuration. Every key is optional; the values shown are the defaults.
compiler:
  src: .claude/agents        # where the briefs live
  out: codex/agents          # where convert writes the compiled fleet (commit it)
  defaults:
    tools: []                # tools for briefs without \`tools:\` — empty means none (deny by default)
    model: inherit
    domain: general          # domain of briefs directly in src
  models: []                 # extra model names to accept without a warning
`,
  '.claude/agents/quality/code-reviewer.md': `---
name: code-reviewer
description: "Use this agent to review a change before it is merged — correctness, tests, naming and risk. Triggers on: 'review my PR', 'code review', 'review this diff'."
tools: Read, Grep, Glob
model: sonnet
codex:
  triggers:
    file_patterns: ["**/*.diff", "**/*.patch"]
---

You are a careful code reviewer. Read the change and the code around it before commenting.

## Focus areas
- Correctness: edge cases, error handling, concurrency
- Tests: does a test fail without the change?
- Readability: names, size of functions, comments that say why

## Output
A short list of findings, most important first, each with file:line and a suggested fix.
`,
  '.claude/agents/general/generalist.md': `---
name: generalist
description: "General-purpose engineering agent for tasks no specialist covers. Triggers on: 'small fix', 'quick change', 'explain this code'."
tools: Read, Grep, Glob, Edit, Write, Bash
model: inherit
codex:
  agent:
    classification:
      tier: generalist
---

You are a pragmatic software engineer. Understand the task, look at the code, make the smallest
change that solves it, and say what you verified.
`,
};
