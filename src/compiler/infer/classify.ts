/**
 * The agent's tier. Coordinators route work to other agents (orchestrators, organizers, context
 * managers, team leads, everything filed under meta-orchestration); generalists take anything;
 * everyone else is a specialist. Decided from the id, name and folders only, never the body:
 * a specialist's body often says "coordinate with other agents".
 */

const COORDINATOR_NAME =
  /(^|-)(orchestrator|orchestration|coordinator|organizer|distributor|dispatcher|conductor|router|team-lead|context-manager|supervisor|task-planner)(-|$)/;
// Folders named for coordination, not plugins that merely mention it ("full-stack-orchestration").
const COORDINATOR_FOLDER = /^(orchestration|orchestrators?|coordination|coordinators?|agent-orchestration)$|(^|-)meta(-|$)|^multi-agent/;
const GENERALIST_NAME = /(^|-)(general-purpose|generalist|general|assistant|helper|default)(-|$)/;

export type Tier = 'specialist' | 'generalist' | 'coordinator';

/**
 * @example tierOf('multi-agent-coordinator', 'meta-orchestration') === 'coordinator'
 * @example tierOf('general-purpose', 'core') === 'generalist'
 */
export function tierOf(id: string, domain: string, subdomain = ''): Tier {
  const name = id.toLowerCase();
  if (COORDINATOR_NAME.test(name)) return 'coordinator';
  if (COORDINATOR_FOLDER.test(domain.toLowerCase()) || COORDINATOR_FOLDER.test(subdomain.toLowerCase())) return 'coordinator';
  if (GENERALIST_NAME.test(name)) return 'generalist';
  return 'specialist';
}
