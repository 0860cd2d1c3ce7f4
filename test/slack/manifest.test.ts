import { readFileSync } from 'node:fs';
import type { App } from '@slack/bolt';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { registerCommands } from '../../src/commands/index.js';
import { registerInteractions } from '../../src/interactions/index.js';
import { ACTION_IDS, COMMANDS, VIEW_IDS } from '../../src/slack/action-ids.js';
import { FakeEngine } from '../support/fake-engine.js';

/** An App stand-in that only records what gets registered. */
function recordListeners() {
  const seen = { commands: [] as string[], actions: [] as string[], views: [] as string[] };
  const app = {
    command: (name: string) => void seen.commands.push(name),
    action: (id: string) => void seen.actions.push(id),
    view: (id: string) => void seen.views.push(id),
  } as unknown as App;
  const deps = { engine: new FakeEngine(), log: pino({ level: 'silent' }) };
  registerCommands(app, deps);
  registerInteractions(app, deps);
  return seen;
}

const manifest = parse(readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8'));
const sorted = (xs: string[]) => [...xs].sort();

describe('manifest.yml and the registered listeners', () => {
  const seen = recordListeners();

  it('declares exactly the registered slash commands, each pointed at /slack/events with a usage hint', () => {
    const declared = manifest.features.slash_commands as Array<{ command: string; url: string; usage_hint: string }>;
    expect(sorted(declared.map((c) => c.command))).toEqual(sorted(seen.commands));
    expect(sorted(seen.commands)).toEqual(sorted(Object.values(COMMANDS)));
    for (const c of declared) {
      expect(c.url).toBe('https://tzero.example.com/slack/events');
      expect(c.usage_hint).toBeTruthy();
    }
  });

  it('has a listener for every action id and view id in the table, and none outside it', () => {
    expect(sorted(seen.actions)).toEqual(sorted(Object.values(ACTION_IDS)));
    expect(sorted(seen.views)).toEqual(sorted(Object.values(VIEW_IDS)));
    expect(new Set(seen.actions).size).toBe(seen.actions.length);
  });

  it('turns interactivity on, uses HTTP mode and least-privilege bot scopes', () => {
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: 'https://tzero.example.com/slack/events' });
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    // conversations.info before a start; history to find a post whose answer was lost.
    expect(sorted(manifest.oauth_config.scopes.bot)).toEqual(['channels:history', 'channels:read', 'chat:write', 'commands', 'files:write', 'groups:history', 'groups:read']);
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
  });
});
