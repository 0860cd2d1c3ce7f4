// Issue #6 §9: `npm start` runs the build, never compiles (prestart used to rebuild: 24 s to
// ready). Build once with `npm run build` or the Dockerfile's build stage.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
const dockerfile = readFileSync('Dockerfile', 'utf8');

describe('npm start', () => {
  it('does not build or compile at start', () => {
    expect(pkg.scripts.prestart).toBeUndefined();
    expect(pkg.scripts.start).toBe('node bin/start.js');
    expect(readFileSync('bin/start.js', 'utf8')).not.toMatch(/['"](tsx|tsx\/[\w/]+|node:child_process|typescript)['"]/);
    expect(pkg.scripts.build).toBe('tsc -p tsconfig.build.json');
  });

  it('says plainly when there is no build, instead of a module-not-found trace', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'tzero-start-'));
    mkdirSync(path.join(root, 'bin'));
    copyFileSync('bin/start.js', path.join(root, 'bin', 'start.js'));
    const result = await promisify(execFile)(process.execPath, [path.join(root, 'bin', 'start.js')]).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => err,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('tzero is not built: run `npm run build` once, then `npm start`');
  });
});

describe('Dockerfile', () => {
  it('builds in its build stage and starts the built bot directly', () => {
    const [build, runtime] = dockerfile.split(/^FROM .* AS runtime$/m);
    expect(build).toMatch(/^RUN npm run build && npm prune --omit=dev$/m);
    expect(runtime).toMatch(/^COPY --from=build \/app\/dist \.\/dist$/m);
    expect(runtime).toMatch(/^CMD \["node", "dist\/src\/index\.js"\]$/m);
    expect(runtime).not.toMatch(/npm (start|run)|tsx/);
  });
});
