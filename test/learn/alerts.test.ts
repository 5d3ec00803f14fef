/**
 * Alerts: the failure rate over a sliding window and missed heartbeats against an agent's
 * metrics.thresholds; one escalation per crossing and one recovery, to every notify target
 * (the log file, a webhook on 127.0.0.1, a command), each bounded in time.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ALERTS_FILE, AlertMonitor, notifier, type AlertEvent, type MonitoredAgent } from '../../src/learn/alerts.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const temp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'cf-alerts-'));
  dirs.push(dir);
  return dir;
};

function agent(notify: string[], failure_rate_pct = 20, heartbeat_miss = 3): MonitoredAgent {
  return {
    agent: { id: 'debugger' },
    runtime: { heartbeat_interval_ms: 1000 },
    metrics: { thresholds: { failure_rate_pct, heartbeat_miss }, escalation: { notify } },
  };
}

function recording() {
  const sent: Array<[string, AlertEvent]> = [];
  return {
    sent,
    deliver: async (target: string, event: AlertEvent) => {
      sent.push([target, event]);
    },
  };
}

describe('failure-rate alerts', () => {
  it('one escalation when the window crosses the threshold, none while it stays above, one recovery when it falls back', () => {
    const { sent, deliver } = recording();
    const monitor = new AlertMonitor({ deliver, now: () => Date.UTC(2026, 0, 1) });
    const definition = agent(['log', 'command:true']);
    const outcomes = [
      true,
      true,
      true,
      false,
      false,
      false,
      false,
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      true,
    ];
    for (const ok of outcomes) monitor.taskEnded(definition, { ok });
    const kinds = sent.map(([target, event]) => `${target}:${event.event}`);
    expect(kinds).toEqual(['log:escalation', 'command:true:escalation', 'log:recovery', 'command:true:recovery']);
    expect(sent[0]![1]).toMatchObject({ agent: 'debugger', metric: 'failure_rate_pct', value: 40, threshold: 20 });
  });

  it("fewer than five tasks never alert; rejected and cancelled tasks are not the agent's failures", () => {
    const { sent, deliver } = recording();
    const monitor = new AlertMonitor({ deliver });
    for (let i = 0; i < 4; i++) monitor.taskEnded(agent(['log']), { ok: false });
    for (let i = 0; i < 10; i++) monitor.taskEnded(agent(['log']), { ok: false, stop_reason: 'rejected' });
    expect(sent).toEqual([]);
  });

  it('a provider outage (tasks no model answered, stop reason unavailable) is not the agent failing', () => {
    const { sent, deliver } = recording();
    const monitor = new AlertMonitor({ deliver });
    for (let i = 0; i < 10; i++) monitor.taskEnded(agent(['log']), { ok: false, stop_reason: 'unavailable' });
    expect(sent).toEqual([]);
  });
});

describe('heartbeat alerts', () => {
  it('missing heartbeat_miss beats escalates once; the next beat recovers', () => {
    const { sent, deliver } = recording();
    let now = 0;
    const monitor = new AlertMonitor({ deliver, now: () => now });
    const definition = agent(['log']);
    monitor.heartbeat('run:0', definition);
    now = 3_500;
    expect(monitor.checkHeartbeats()).toEqual([]);
    now = 4_100;
    expect(monitor.checkHeartbeats().map((event) => event.event)).toEqual(['escalation']);
    expect(monitor.checkHeartbeats()).toEqual([]);
    monitor.heartbeat('run:0', definition);
    expect(monitor.checkHeartbeats().map((event) => event.event)).toEqual(['recovery']);
    expect(sent.map(([, event]) => event.metric)).toEqual(['heartbeat_miss', 'heartbeat_miss']);
  });
});

describe('delivery', () => {
  it('log appends a JSON line; a webhook gets the event as JSON; a command gets it on stdin', async () => {
    const root = temp();
    const bodies: string[] = [];
    const server = createServer((request: IncomingMessage, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        bodies.push(body);
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const monitor = new AlertMonitor({ deliver: notifier(root, 2_000) });
      const definition = agent(['log', `http://127.0.0.1:${port}/hook`, 'command:cat > alert-from-stdin.json']);
      for (let i = 0; i < 5; i++) monitor.taskEnded(definition, { ok: false });
      await monitor.settled();
      expect(JSON.parse(readFileSync(join(root, ALERTS_FILE), 'utf8').trim())).toMatchObject({ event: 'escalation', agent: 'debugger' });
      expect(JSON.parse(bodies[0]!)).toMatchObject({ event: 'escalation', value: 100 });
      expect(JSON.parse(readFileSync(join(root, 'alert-from-stdin.json'), 'utf8'))).toMatchObject({ event: 'escalation' });
    } finally {
      server.close();
    }
  });

  it('a webhook that never answers and a command that hangs are cut at the timeout and reported, not thrown', async () => {
    const root = temp();
    const server = createServer(() => {
      /* never answers */
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const errors: string[] = [];
    try {
      const monitor = new AlertMonitor({
        deliver: notifier(root, 300),
        onError: (target, error) => errors.push(`${target.split(':')[0]}: ${error.message}`),
      });
      const started = Date.now();
      for (let i = 0; i < 5; i++) monitor.taskEnded(agent([`http://127.0.0.1:${port}/`, 'command:sleep 30', 'pager']), { ok: false });
      await monitor.settled();
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(errors).toHaveLength(3);
      expect(errors.join('\n')).toMatch(/timed out/);
      expect(errors.join('\n')).toMatch(/unknown notify target/);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
