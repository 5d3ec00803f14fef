/**
 * The phrases that name an agent explicitly in a request — "ask the graphql architect",
 * "@design-bridge", "Fullstack developer: …". About one request in seven names its agent; a
 * router that ignores that throws away the strongest evidence it will get.
 * Aliases: the id, the id with spaces, the name, and the brief's file stem (wshobson names its
 * agents `<plugin>-<stem>` while people say the stem). A one-word alias ("review", "implement")
 * is an ordinary word too, so it only counts with an `@` in front.
 *
 * @example agentAliases('graphql-architect', 'GraphQL Architect', 'a/graphql-architect.md')
 * // ['graphql architect', 'graphql-architect']
 */
export function agentAliases(id: string, name: string | undefined, source: string | undefined): string[] {
  const stem = source ? source.slice(source.lastIndexOf('/') + 1).replace(/\.md$/i, '') : undefined;
  const raw = [id, name, stem].filter((alias): alias is string => typeof alias === 'string' && alias.trim().length > 0);
  const aliases = new Set<string>();
  for (const alias of raw) {
    const lower = alias.toLowerCase().trim();
    for (const form of [lower, lower.replace(/[-_]+/g, ' ')]) {
      const words = form.split(/[\s-]+/).filter(Boolean).length;
      aliases.add(words >= 2 ? form : `@${form}`);
    }
  }
  return [...aliases].sort();
}
