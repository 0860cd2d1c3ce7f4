import { describe, expect, it } from 'vitest';
import { formatBlockKitError, validateMessageBlocks, validateView } from '../../emulator/block-kit.js';
import { md, text } from './helpers.js';

const errorsOf = (blocks: unknown) => validateMessageBlocks(blocks).map(formatBlockKitError);
const section = (t: string) => ({ type: 'section', text: md(t) });
const button = (extra: Record<string, unknown> = {}) => ({ type: 'button', text: text('Go'), action_id: 'go', ...extra });
const modal = (extra: Record<string, unknown> = {}) => ({ type: 'modal', title: text('Start'), blocks: [], ...extra });

describe('validateMessageBlocks', () => {
  it('accepts the blocks the bot uses', () => {
    const blocks = [
      { type: 'header', text: text('Cutover') },
      { type: 'divider' },
      section('*bold*'),
      { type: 'section', fields: [md('a'), md('b')], accessory: button() },
      { type: 'context', elements: [md('ctx')] },
      { type: 'actions', elements: [button({ style: 'danger', confirm: { title: text('Sure?'), text: md('Really'), confirm: text('Yes'), deny: text('No') } })] },
    ];
    expect(errorsOf(blocks)).toEqual([]);
  });

  it('reports section text over 3000 like Slack, with both pointers', () => {
    expect(errorsOf([section('x'.repeat(3001))])).toEqual([
      'failed to match all allowed schemas [json-pointer:/blocks/0/text]',
      'must be less than 3001 characters [json-pointer:/blocks/0/text/text]',
    ]);
    expect(errorsOf([section('x'.repeat(3000))])).toEqual([]);
  });

  it('rejects empty section text and a section with neither text nor fields', () => {
    expect(errorsOf([section('')])).toContain('must be more than 0 characters [json-pointer:/blocks/0/text/text]');
    expect(errorsOf([{ type: 'section' }])).toEqual(['must provide either text or fields [json-pointer:/blocks/0]']);
  });

  it('caps blocks per message at 50', () => {
    expect(errorsOf(Array.from({ length: 51 }, () => ({ type: 'divider' })))).toEqual([
      'no more than 50 items allowed [json-pointer:/blocks]',
    ]);
    expect(errorsOf(Array.from({ length: 50 }, () => ({ type: 'divider' })))).toEqual([]);
  });

  it('limits section fields to 10 of at most 2000', () => {
    const fields = Array.from({ length: 11 }, () => md('f'));
    expect(errorsOf([{ type: 'section', fields }])).toEqual(['no more than 10 items allowed [json-pointer:/blocks/0/fields]']);
    expect(errorsOf([{ type: 'section', fields: [md('f'), md('y'.repeat(2001))] }]))
      .toContain('must be less than 2001 characters [json-pointer:/blocks/0/fields/1/text]');
  });

  it('requires plain_text of at most 150 in headers', () => {
    expect(errorsOf([{ type: 'header', text: text('h'.repeat(151)) }]))
      .toContain('must be less than 151 characters [json-pointer:/blocks/0/text/text]');
    expect(errorsOf([{ type: 'header', text: md('h') }])).toContain('must be plain_text [json-pointer:/blocks/0/text/type]');
  });

  it('limits context to 10 and actions to 25 elements', () => {
    expect(errorsOf([{ type: 'context', elements: Array.from({ length: 11 }, () => md('c')) }]))
      .toEqual(['no more than 10 items allowed [json-pointer:/blocks/0/elements]']);
    const buttons = Array.from({ length: 26 }, (_, i) => button({ action_id: `a${i}` }));
    expect(errorsOf([{ type: 'actions', elements: buttons }])).toEqual(['no more than 25 items allowed [json-pointer:/blocks/0/elements]']);
  });

  it('limits and de-duplicates block_id and action_id', () => {
    expect(errorsOf([{ type: 'divider', block_id: 'b'.repeat(256) }]))
      .toEqual(['must be less than 256 characters [json-pointer:/blocks/0/block_id]']);
    expect(errorsOf([{ type: 'divider', block_id: 'same' }, { type: 'divider', block_id: 'same' }]))
      .toEqual(['duplicate block_id: same [json-pointer:/blocks/1/block_id]']);
    expect(errorsOf([{ type: 'actions', elements: [button(), button()] }]))
      .toEqual(['duplicate action_id: go [json-pointer:/blocks/0/elements/1/action_id]']);
    expect(errorsOf([{ type: 'actions', elements: [button({ action_id: 'a'.repeat(256) })] }]))
      .toEqual(['must be less than 256 characters [json-pointer:/blocks/0/elements/0/action_id]']);
  });

  it('limits button text, value, url and style', () => {
    const p = '/blocks/0/elements/0';
    expect(errorsOf([{ type: 'actions', elements: [button({ text: text('t'.repeat(76)) })] }]))
      .toContain(`must be less than 76 characters [json-pointer:${p}/text/text]`);
    expect(errorsOf([{ type: 'actions', elements: [button({ value: 'v'.repeat(2001) })] }]))
      .toEqual([`must be less than 2001 characters [json-pointer:${p}/value]`]);
    expect(errorsOf([{ type: 'actions', elements: [button({ url: 'u'.repeat(3001) })] }]))
      .toEqual([`must be less than 3001 characters [json-pointer:${p}/url]`]);
    expect(errorsOf([{ type: 'actions', elements: [button({ style: 'loud' })] }]))
      .toEqual([`must be one of: primary, danger [json-pointer:${p}/style]`]);
  });

  it('limits confirm dialog title 100, text 300, confirm 30, deny 30', () => {
    const confirm = { title: text('t'.repeat(101)), text: md('x'.repeat(301)), confirm: text('c'.repeat(31)), deny: text('d'.repeat(31)) };
    const errors = errorsOf([{ type: 'actions', elements: [button({ confirm })] }]);
    const p = '/blocks/0/elements/0/confirm';
    expect(errors).toContain(`must be less than 101 characters [json-pointer:${p}/title/text]`);
    expect(errors).toContain(`must be less than 301 characters [json-pointer:${p}/text/text]`);
    expect(errors).toContain(`must be less than 31 characters [json-pointer:${p}/confirm/text]`);
    expect(errors).toContain(`must be less than 31 characters [json-pointer:${p}/deny/text]`);
  });

  it('rejects unknown block and element types', () => {
    expect(errorsOf([{ type: 'carousel' }])).toEqual([
      'failed to match all allowed schemas [json-pointer:/blocks/0]',
      'unsupported type: carousel [json-pointer:/blocks/0/type]',
    ]);
    expect(errorsOf([{ type: 'actions', elements: [{ type: 'slider', action_id: 's' }] }]))
      .toContain('unsupported type: slider [json-pointer:/blocks/0/elements/0/type]');
  });

  it('counts characters, not UTF-16 units', () => {
    expect(errorsOf([{ type: 'header', text: text('😀'.repeat(150)) }])).toEqual([]);
  });
});

describe('validateView', () => {
  it('accepts a modal with an input', () => {
    const view = modal({
      submit: text('Start'), close: text('Cancel'), callback_id: 'start', private_metadata: '{}',
      blocks: [{ type: 'input', block_id: 'b', label: text('Reason'), element: { type: 'plain_text_input', action_id: 'a' } }],
    });
    expect(validateView(view)).toEqual([]);
  });

  it('limits title/submit/close to 24 and metadata/callback_id', () => {
    const errors = validateView(modal({
      title: text('t'.repeat(25)), submit: text('s'.repeat(25)), close: text('c'.repeat(25)),
      private_metadata: 'm'.repeat(3001), callback_id: 'c'.repeat(256),
    })).map(formatBlockKitError);
    expect(errors).toEqual(expect.arrayContaining([
      'must be less than 25 characters [json-pointer:/view/title/text]',
      'must be less than 25 characters [json-pointer:/view/submit/text]',
      'must be less than 25 characters [json-pointer:/view/close/text]',
      'must be less than 3001 characters [json-pointer:/view/private_metadata]',
      'must be less than 256 characters [json-pointer:/view/callback_id]',
    ]));
  });

  it('caps view blocks at 100 and requires submit with inputs', () => {
    const errors = validateView(modal({ blocks: Array.from({ length: 101 }, () => ({ type: 'divider' })) })).map(formatBlockKitError);
    expect(errors).toEqual(['no more than 100 items allowed [json-pointer:/view/blocks]']);
    const noSubmit = modal({ blocks: [{ type: 'input', label: text('L'), element: { type: 'plain_text_input' } }] });
    expect(validateView(noSubmit).map(formatBlockKitError)).toEqual(['must provide submit when blocks contain input blocks [json-pointer:/view/submit]']);
  });
});
