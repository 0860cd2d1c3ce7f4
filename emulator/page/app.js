// The emulator page: channel view, threads, ephemerals, modals and a slash-command box.
// Re-fetches /_emu/state on every tick from /_emu/events; all actions go through the control API.
import { renderBlocks } from './blocks.js';
import { escapeHtml, mrkdwnToHtml } from './mrkdwn.js';

const $ = (sel) => document.querySelector(sel);
const ui = { state: null, channel: null, user: null, modalKey: null, drafts: {}, pendingConfirm: null };

async function post(path, body) {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await res.json();
  if (!res.ok || !json.ok) throw new Error(`${json.error}: ${json.message ?? ''}`);
  return json;
}

function setStatus(text, isError = false) {
  const node = $('#command-status');
  node.textContent = text;
  node.classList.toggle('error', isError);
}

function userNames() {
  return Object.fromEntries((ui.state?.users ?? []).map((u) => [u.id, u.name]).concat([[ui.state?.bot.userId, ui.state?.bot.name]]));
}

// --- buttons, confirm dialogs ---------------------------------------------------------------

function askConfirm(confirm) {
  return new Promise((resolve) => {
    $('#confirm-title').textContent = confirm.title?.text ?? 'Are you sure?';
    $('#confirm-text').innerHTML = confirm.text?.type === 'mrkdwn' ? mrkdwnToHtml(confirm.text.text, userNames()) : escapeHtml(confirm.text?.text ?? '');
    $('#confirm-yes').textContent = confirm.confirm?.text ?? 'Yes';
    $('#confirm-no').textContent = confirm.deny?.text ?? 'Cancel';
    $('#confirm-yes').className = confirm.style === 'danger' ? 'danger' : 'primary';
    $('#confirm-backdrop').hidden = false;
    ui.pendingConfirm = (answer) => {
      $('#confirm-backdrop').hidden = true;
      ui.pendingConfirm = null;
      resolve(answer);
    };
  });
}

async function clickButton(button, blockId, where) {
  if (button.url) window.open(button.url, '_blank', 'noopener');
  if (button.confirm && !(await askConfirm(button.confirm))) return;
  try {
    const result = await post('/_emu/action', { user: ui.user, action_id: button.action_id, block_id: blockId, value: button.value, ...where });
    setStatus(result.failure ? `Action failed: ${result.failure} (HTTP ${result.status})` : `Clicked ${button.action_id}`, Boolean(result.failure));
  } catch (err) {
    setStatus(String(err.message ?? err), true);
  }
}

// --- messages -------------------------------------------------------------------------------

function messageNode(msg, { ephemeral = false } = {}) {
  const node = document.createElement('div');
  node.className = `message${ephemeral ? ' ephemeral' : ''}`;
  node.dataset.ts = msg.ts;
  const names = userNames();
  const author = msg.from === 'slackbot' ? 'Slackbot' : msg.bot_id || msg.from === 'bot' ? ui.state.bot.name : names[msg.user] ?? msg.user;
  const time = new Date(Number(msg.ts) * 1000).toLocaleTimeString();
  node.innerHTML = `<div class="meta"><span class="author">${escapeHtml(author)}</span>${msg.bot_id || msg.from === 'bot' ? '<span class="app-badge">APP</span>' : ''}<span class="time">${time}</span>${msg.edited ? '<span class="edited">(edited)</span>' : ''}</div>`;
  if (ephemeral) node.insertAdjacentHTML('afterbegin', '<div class="ephemeral-label">Only visible to you</div>');
  const where = { channel: ui.channel, ts: msg.ts };
  if (msg.blocks && msg.blocks.length > 0) {
    node.append(renderBlocks(msg.blocks, { users: names, onButton: (b, blockId) => clickButton(b, blockId, where) }));
  } else {
    const text = document.createElement('div');
    text.className = 'text';
    text.innerHTML = mrkdwnToHtml(msg.text, names);
    node.append(text);
  }
  // Shared files (files.completeUploadExternal): a link to each, named as uploaded.
  for (const f of msg.files ?? []) {
    const link = document.createElement('a');
    link.className = 'file';
    link.href = `/files/${encodeURIComponent(f.id)}/${encodeURIComponent(f.name)}`;
    link.target = '_blank';
    link.textContent = `📄 ${f.title ?? f.name} (${f.size} bytes)`;
    node.append(link);
  }
  return node;
}

function renderMessages() {
  const channel = ui.state.channels.find((c) => c.id === ui.channel);
  const container = $('#messages');
  const atBottom = container.scrollHeight - container.scrollTop - container.clientHeight < 40;
  container.replaceChildren();
  if (!channel) return;
  $('#channel-title').textContent = `#${channel.name}`;
  const mine = (ui.state.ephemerals[ui.user] ?? []).filter((e) => e.channel === channel.id);
  const topLevel = [
    ...channel.messages.map((m) => ({ ts: m.ts, node: threadNode(m, mine) })),
    ...mine.filter((e) => !e.thread_ts || !channel.messages.some((m) => m.ts === e.thread_ts))
      .map((e) => ({ ts: e.ts, node: messageNode(e, { ephemeral: true }) })),
  ].sort((a, b) => Number(a.ts) - Number(b.ts));
  for (const item of topLevel) container.append(item.node);
  if (atBottom) container.scrollTop = container.scrollHeight;
}

/** A parent with its replies (and the user's ephemerals in that thread) expanded beneath it. */
function threadNode(msg, mine) {
  const node = messageNode(msg);
  const replies = [
    ...msg.replies.map((r) => ({ ts: r.ts, node: messageNode(r) })),
    ...mine.filter((e) => e.thread_ts === msg.ts).map((e) => ({ ts: e.ts, node: messageNode(e, { ephemeral: true }) })),
  ].sort((a, b) => Number(a.ts) - Number(b.ts));
  if (replies.length === 0) return node;
  const thread = document.createElement('div');
  thread.className = 'thread';
  thread.dataset.threadTs = msg.ts;
  thread.insertAdjacentHTML('afterbegin', `<div class="reply-count">${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}</div>`);
  for (const r of replies) thread.append(r.node);
  node.append(thread);
  return node;
}

// --- modals ---------------------------------------------------------------------------------

function renderModal() {
  const stack = ui.state.views[ui.user] ?? [];
  const top = stack[stack.length - 1];
  const key = top ? `${top.id}:${top.hash}:${JSON.stringify(top.errors ?? {})}` : null;
  if (key === ui.modalKey) return; // keep focus and typed text while nothing about the view changed
  ui.modalKey = key;
  $('#modal-backdrop').hidden = !top;
  if (!top) return;
  const view = top.view;
  $('#modal').dataset.viewId = top.id;
  $('#modal').dataset.callbackId = view.callback_id ?? '';
  $('#modal-title').textContent = view.title?.text ?? '';
  $('#modal-submit').textContent = view.submit?.text ?? 'Submit';
  $('#modal-submit').hidden = !view.submit;
  $('#modal-cancel').textContent = view.close?.text ?? 'Cancel';
  const drafts = (ui.drafts[top.id] ??= {});
  $('#modal-body').replaceChildren(renderBlocks(view.blocks, {
    users: userNames(), drafts, errors: top.errors,
    onDraft: (blockId, value) => { drafts[blockId] = value; },
    onButton: (b, blockId) => clickButton(b, blockId, { view_id: top.id }),
  }));
}

async function submitModal() {
  const viewId = $('#modal').dataset.viewId;
  const values = {};
  for (const input of document.querySelectorAll('#modal-body [data-action-id]')) {
    if (!('value' in input) || input.tagName === 'BUTTON') continue;
    values[input.dataset.blockId] = { [input.dataset.actionId]: input.value };
  }
  try {
    const result = await post('/_emu/view-submit', { user: ui.user, view_id: viewId, values });
    setStatus(`View ${result.outcome}`, result.outcome === 'failed');
  } catch (err) {
    setStatus(String(err.message ?? err), true);
  }
}

// --- chrome ---------------------------------------------------------------------------------

function renderChrome() {
  const s = ui.state;
  $('#workspace-name').textContent = s.team.name;
  const select = $('#user-select');
  if (select.options.length !== s.users.length) {
    select.replaceChildren(...s.users.map((u) => new Option(`@${u.name}`, u.id)));
    select.value = ui.user;
  }
  $('#channel-list').replaceChildren(...s.channels.map((c) => {
    const li = document.createElement('li');
    li.textContent = `# ${c.name}`;
    li.dataset.channelId = c.id;
    li.classList.toggle('active', c.id === ui.channel);
    li.addEventListener('click', () => { ui.channel = c.id; render(); });
    return li;
  }));
  $('#api-call-count').textContent = String(s.apiCalls.length);
  $('#ratelimited-count').textContent = String(Object.values(s.ratelimited).reduce((a, b) => a + b, 0));
  $('#validation-count').textContent = String(s.validationFailures.length);
  $('#validation-failures').replaceChildren(...s.validationFailures.slice(-5).map((f) => {
    const li = document.createElement('li');
    li.textContent = `${f.source}: ${f.errors.join('; ')}`;
    return li;
  }));
}

function render() {
  if (!ui.state) return;
  renderChrome();
  renderMessages();
  renderModal();
}

async function refresh() {
  ui.state = await (await fetch('/_emu/state')).json();
  ui.channel ??= ui.state.channels[0]?.id;
  ui.user ??= ui.state.users[0]?.id;
  render();
  document.body.dataset.version = String(ui.state.version);
}

// Ticks can come in bursts; run at most one refresh at a time and one more after it.
let refreshing = false;
let again = false;
async function scheduleRefresh() {
  if (refreshing) { again = true; return; }
  refreshing = true;
  try {
    do { again = false; await refresh(); } while (again);
  } catch (err) {
    setStatus(`Lost the emulator: ${err.message ?? err}`, true);
  } finally {
    refreshing = false;
  }
}

function wire() {
  $('#user-select').addEventListener('change', (e) => { ui.user = e.target.value; ui.modalKey = null; render(); });
  $('#confirm-yes').addEventListener('click', () => ui.pendingConfirm?.(true));
  $('#confirm-no').addEventListener('click', () => ui.pendingConfirm?.(false));
  $('#modal-submit').addEventListener('click', submitModal);
  $('#modal-cancel').addEventListener('click', () => {
    post('/_emu/view-close', { user: ui.user, view_id: $('#modal').dataset.viewId }).catch((err) => setStatus(String(err.message), true));
  });
  $('#command-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const line = $('#command-input').value.trim();
    const match = line.match(/^(\/\S+)\s*([^]*)$/);
    if (!match) return setStatus('Type a slash command, e.g. /cutover start', true);
    $('#command-input').value = '';
    try {
      const result = await post('/_emu/command', { user: ui.user, channel: ui.channel, command: match[1], text: match[2] });
      setStatus(result.failure ? `${match[1]} failed: ${result.failure} (HTTP ${result.status})` : `${match[1]} delivered (HTTP ${result.status})`, Boolean(result.failure));
    } catch (err) {
      setStatus(String(err.message ?? err), true);
    }
  });
  const events = new EventSource('/_emu/events');
  events.addEventListener('tick', scheduleRefresh);
}

wire();
scheduleRefresh();
