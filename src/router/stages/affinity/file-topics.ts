/**
 * Topics implied by changed files, for domain affinity: a `.tf` file means Terraform is in play
 * even if the task never says so. Lower-case names as the compiler writes them into
 * `TriggerTable.agents[id].topics` (languages and frameworks).
 */
const BY_EXTENSION_TABLE: Readonly<Record<string, readonly string[]>> = {
  ts: ['typescript'],
  tsx: ['typescript', 'react'],
  mts: ['typescript'],
  cts: ['typescript'],
  js: ['javascript'],
  jsx: ['javascript', 'react'],
  mjs: ['javascript'],
  cjs: ['javascript'],
  py: ['python'],
  ipynb: ['python', 'jupyter'],
  go: ['go', 'golang'],
  rs: ['rust'],
  java: ['java'],
  kt: ['kotlin'],
  kts: ['kotlin'],
  swift: ['swift'],
  rb: ['ruby'],
  php: ['php'],
  cs: ['c#', 'csharp', '.net'],
  fs: ['f#'],
  cpp: ['c++', 'cpp'],
  cc: ['c++', 'cpp'],
  hpp: ['c++', 'cpp'],
  c: ['c'],
  h: ['c', 'c++'],
  scala: ['scala'],
  ex: ['elixir'],
  exs: ['elixir'],
  erl: ['erlang'],
  hs: ['haskell'],
  clj: ['clojure'],
  dart: ['dart', 'flutter'],
  lua: ['lua'],
  r: ['r'],
  jl: ['julia'],
  sol: ['solidity'],
  zig: ['zig'],
  vue: ['vue'],
  svelte: ['svelte'],
  sql: ['sql'],
  graphql: ['graphql'],
  gql: ['graphql'],
  proto: ['protobuf', 'grpc'],
  tf: ['terraform'],
  hcl: ['terraform', 'hcl'],
  sh: ['bash', 'shell'],
  bash: ['bash', 'shell'],
  ps1: ['powershell'],
  yaml: ['yaml'],
  yml: ['yaml'],
  css: ['css'],
  scss: ['css', 'sass'],
  html: ['html'],
  md: ['markdown'],
};

const BY_BASENAME_TABLE: Readonly<Record<string, readonly string[]>> = {
  dockerfile: ['docker'],
  'docker-compose.yml': ['docker'],
  'docker-compose.yaml': ['docker'],
  'package.json': ['javascript', 'node.js'],
  'go.mod': ['go', 'golang'],
  'cargo.toml': ['rust'],
  'pyproject.toml': ['python'],
  'requirements.txt': ['python'],
  gemfile: ['ruby'],
  'pom.xml': ['java', 'maven'],
  'build.gradle': ['java', 'gradle'],
  makefile: ['make'],
  jenkinsfile: ['jenkins'],
  'chart.yaml': ['helm', 'kubernetes'],
};

// Maps, not the object literals: a file named `constructor` or `x.__proto__` found
// Object.prototype's members there (and route threw on them); a Map lookup is also cheaper.
const BY_EXTENSION = new Map(Object.entries(BY_EXTENSION_TABLE));
const BY_BASENAME = new Map(Object.entries(BY_BASENAME_TABLE));
const NO_TOPICS: readonly string[] = [];

/**
 * Topic names a changed path suggests (possibly none). The same path shape always returns the
 * same array (the router memoizes topic numbers per returned array).
 *
 * @example topicsOfPath('infra/main.tf') // ['terraform']
 */
export function topicsOfPath(path: string): readonly string[] {
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  const byName = BY_BASENAME.get(base);
  if (byName) return byName;
  const dot = base.lastIndexOf('.');
  return dot < 0 ? NO_TOPICS : (BY_EXTENSION.get(base.slice(dot + 1)) ?? NO_TOPICS);
}
