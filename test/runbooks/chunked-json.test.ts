import { describe, expect, it } from 'vitest';
import { packJson, unpackJson } from '../../src/runbooks/chunked-json.js';

// The worker sends a large validated runbook as pieces so that the main thread never parses
// 1 MB in one go; what comes out must be exactly what one JSON round trip gives.
describe('chunked JSON between the worker and the main thread', () => {
  const body = Object.fromEntries(Array.from({ length: 1000 }, (_, k) => [`k${k}`, 'v']));
  const value = {
    name: 'big',
    steps: Array.from({ length: 90 }, (_, i) => ({ id: `s${i}`, with: { json: body, script: 'echo x\n'.repeat(300), at: undefined } })),
    odd: JSON.parse('{"__proto__": {"polluted": true}, "z": 1, "a": [1, null, "x"]}') as unknown,
    when: new Date(0),
  };

  it('rebuilds the same value, key order and own "__proto__" keys included', async () => {
    const pieces = packJson(value);
    expect(pieces.length).toBeGreaterThan(90);
    const back = await unpackJson(pieces);
    expect(JSON.stringify(back)).toBe(JSON.stringify(value));
    expect(back).toEqual(JSON.parse(JSON.stringify(value)));
    const odd = (back as { odd: Record<string, unknown> }).odd;
    expect(Object.keys(odd)).toEqual(['__proto__', 'z', 'a']);
    expect(Object.getPrototypeOf(odd)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps every piece far smaller than the whole', () => {
    const pieces = packJson(value);
    const whole = JSON.stringify(value).length;
    expect(Math.max(...pieces.map((p) => p.json.length))).toBeLessThan(whole / 50);
  });

  it('carries plain values and failures unchanged', async () => {
    for (const v of [null, 3, 'text', [], {}, { ok: false, message: 'm', problems: ['f.yml:1:1 (yaml): bad'] }]) {
      expect(await unpackJson(packJson(v))).toEqual(v);
    }
  });
});
