// Form bodies Slack would send: slash commands (flat fields), block_actions and view_submission.
export function commandBody(command: string, text: string, responseUrl: string, user = 'U0LEAD', channel = 'C0CUTOVER'): string {
  return new URLSearchParams({
    token: 'x', team_id: 'T1', team_domain: 'example', channel_id: channel, channel_name: 'cutover', user_id: user,
    user_name: 'lead', command, text, api_app_id: 'A1', is_enterprise_install: 'false', response_url: responseUrl,
    trigger_id: '111.222.cmd',
  }).toString();
}

export function actionBody(actionId: string, value: string, responseUrl: string, user = 'U0DBA'): string {
  const payload = {
    type: 'block_actions', user: { id: user, username: 'u', team_id: 'T1' }, api_app_id: 'A1', token: 'x',
    container: { type: 'message', message_ts: '1716220700.000200', channel_id: 'C0CUTOVER', is_ephemeral: false },
    trigger_id: '1234.5678.trigger', team: { id: 'T1', domain: 'example' }, channel: { id: 'C0CUTOVER', name: 'cutover' },
    message: { type: 'message', ts: '1716220700.000200', text: 'x' }, state: { values: {} }, response_url: responseUrl,
    actions: [{ action_id: actionId, block_id: 'b1', value, type: 'button', action_ts: '1716220799.1' }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export function viewBody(callbackId: string, privateMetadata: string, blockId: string, actionId: string, value: string, user = 'U0DBA'): string {
  const payload = {
    type: 'view_submission', team: { id: 'T1', domain: 'example' }, user: { id: user, team_id: 'T1' }, api_app_id: 'A1',
    token: 'x', trigger_id: '111.222.view',
    view: {
      id: 'V1', team_id: 'T1', type: 'modal', callback_id: callbackId, private_metadata: privateMetadata, blocks: [],
      state: { values: { [blockId]: { [actionId]: { type: 'plain_text_input', value } } } }, hash: 'h',
      title: { type: 'plain_text', text: 't' }, app_id: 'A1', bot_id: 'B1', root_view_id: 'V1', previous_view_id: null,
    },
    response_urls: [],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
