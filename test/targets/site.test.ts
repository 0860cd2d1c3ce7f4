import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSite, type Site } from '../../targets/site.js';

let oldSite: Site;
let newSite: Site;
let edge: Site;

beforeAll(async () => {
  oldSite = await startSite({ name: 'old-site' });
  newSite = await startSite({ name: 'new-site', hsts: true });
  edge = await startSite({ name: 'edge', redirectTo: 'https://restarters.net' });
});
afterAll(async () => Promise.all([oldSite.close(), newSite.close(), edge.close()]));

const control = (site: Site, what: string, on: boolean) =>
  fetch(`${site.url}/_control/${what}`, { method: 'POST', body: JSON.stringify({ on }) });

describe('startSite', () => {
  it('serves the pages, health, robots and a static asset; only the new site sends HSTS', async () => {
    const home = await fetch(`${newSite.url}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('Restarters (new-site)');
    expect(home.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect((await fetch(`${oldSite.url}/`)).headers.get('strict-transport-security')).toBeNull();
    expect(await (await fetch(`${oldSite.url}/api/health`)).json()).toMatchObject({ status: 'ok', site: 'old-site' });
    expect(await (await fetch(`${oldSite.url}/robots.txt`)).text()).toContain('User-agent');
    expect((await fetch(`${oldSite.url}/static/app.css`)).headers.get('content-type')).toBe('text/css');
    expect((await fetch(`${oldSite.url}/missing`)).status).toBe(404);
  });

  it('goes into maintenance through the control endpoint: 503 with Retry-After, then back', async () => {
    expect(await (await control(oldSite, 'maintenance', true)).json()).toEqual({ site: 'old-site', maintenance: true });
    const down = await fetch(`${oldSite.url}/`);
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('60');
    expect(oldSite.maintenance()).toBe(true);
    await control(oldSite, 'maintenance', false);
    expect((await fetch(`${oldSite.url}/`)).status).toBe(200);
    expect((await control(oldSite, 'maintenance', 'yes' as never)).status).toBe(400);
  });

  it('fails with 500 while the fail switch is on', async () => {
    await control(newSite, 'fail', true);
    expect((await fetch(`${newSite.url}/api/health`)).status).toBe(500);
    newSite.setFail(false);
    expect((await fetch(`${newSite.url}/api/health`)).status).toBe(200);
  });

  it('counts requests per method and path, readable in-process and over HTTP', async () => {
    const site = await startSite({ name: 'counted' });
    await fetch(`${site.url}/`);
    await fetch(`${site.url}/`);
    await control(site, 'maintenance', true);
    expect(site.counts()).toMatchObject({ 'GET /': 2, 'POST /_control/maintenance': 1, total: 3 });
    expect(await (await fetch(`${site.url}/_control/counts`)).json()).toMatchObject({ 'GET /': 2, 'GET /_control/counts': 1, total: 4 });
    await site.close();
  });

  it('as an edge, redirects every path to the HTTPS origin', async () => {
    const r = await fetch(`${edge.url}/robots.txt?x=1`, { redirect: 'manual' });
    expect(r.status).toBe(301);
    expect(r.headers.get('location')).toBe('https://restarters.net/robots.txt?x=1');
  });
});
