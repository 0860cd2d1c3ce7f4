// Dry-run previews of shell commands: resolved values, never `${{ }}`, secrets masked.
import { expect, it } from 'vitest';
import { previewArgv, previewShellText } from '../../src/lib/shell-preview.js';
import { shell } from '../../src/steps/shell.js';

const values: Record<string, string> = { 'vars.bin': 'ansible-playbook', 'vars.inv': 'inventory/production', 'vars.d': 'a /', 'secrets.T': '•••' };
const resolve = (e: string) => values[e]!;

it('shows the command a shell step would run, each value one word', () => {
  expect(previewShellText('${{ vars.bin }} -i ${{ vars.inv }} maintenance.yml', resolve)).toBe('ansible-playbook -i inventory/production maintenance.yml');
  expect(previewShellText('rm -rf /tmp/${{ vars.d }}', resolve)).toBe("rm -rf /tmp/'a /'");
  expect(previewShellText('echo "dir: ${{ vars.d }}" \'${{ x }}\' tok=${{ secrets.T }}', (e) => values[e] ?? `<${e}>`)).toBe("echo \"dir: a /\" '<x>' tok=•••");
  expect(previewArgv(['fly', 'deploy', '--app', '${{ vars.d }}'], resolve)).toBe("fly deploy --app 'a /'");
});

it('the shell step describes the resolved command when given a resolver', () => {
  const input = shell.input.parse({ run: '${{ vars.bin }} -i ${{ vars.inv }} maintenance.yml' });
  expect(shell.describe(input, resolve)).toBe('run `ansible-playbook -i inventory/production maintenance.yml` (timeout 10m)');
});

it('an assert described in a rehearsal (dry_run: describe) shows the values it would compare', async () => {
  const { assert } = await import('../../src/steps/assert.js');
  const input = assert.input.parse({ that: ['${{ steps.count.outputs.rows }} >= 1200'] });
  expect(assert.describe(input, (e) => (e === 'steps.count.outputs.rows' ? '1240' : '?'))).toBe('check 1240 >= 1200');
});
