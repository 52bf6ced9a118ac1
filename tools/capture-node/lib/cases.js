'use strict';
// What one target is sent: a list of cases built from the catalog, and the HTTP answer for each.
//
// A case is one error response: a documented row with one of its texts, an undocumented code, or
// a status with no body. `respond` turns it into the bytes the provider sends, with placeholders
// filled at the moment it is sent (ids carry the fake clock's time).

const { UNDOCUMENTED, zhipuStatus, entryKey } = require('./catalog');

const JSON_TYPE = 'application/json; charset=utf-8';

// The cases of one target, in a seeded order that is the same for every style.
function casesFor(target, catalog, rng) {
  const provider = target.provider;
  const cases = [];
  const documented = (entry, text, extra = {}) => {
    const status = provider === 'zhipu' && entry.http_status == null ? zhipuStatus(entry) : entry.http_status;
    cases.push({ kind: 'documented', provider, entry, code: entry.code, text, status: provider === 'coze' ? null : status, type: entry.type, category: entry.category, known: true, via: 'http', ...extra });
  };
  for (const entry of catalog.of(provider)) {
    for (const text of entry.texts) {
      if (!target.sends(entry, text)) continue;
      documented(entry, text);
    }
  }
  for (const u of UNDOCUMENTED[provider]) {
    const text = target.language === 'en' ? u.en || u.zh : u.zh || u.en;
    cases.push({ kind: 'undocumented', provider, entry: null, code: u.code, text, status: u.status ?? null, type: u.type, category: 'unknown', known: false, via: 'http' });
  }
  if (target.bodyless) {
    for (const b of catalog.bodylessStatuses(provider)) {
      cases.push({ kind: 'bodyless', provider, entry: null, code: null, text: null, status: b.status, category: b.category, known: true, rows: b.rows, via: 'http' });
    }
  }
  shuffle(cases, rng);
  if (target.streams) {
    // Mid-stream errors: a 200 stream that breaks off with an error event. The services do
    // this for what they find while generating: content policy and server failures.
    const seen = new Set();
    const streamed = [];
    for (const c of cases) {
      if (c.kind !== 'documented' || !['content_policy', 'server_error'].includes(c.category)) continue;
      if (c.entry.api === 'bigmodel_http' || seen.has(entryKey(c.entry))) continue;
      seen.add(entryKey(c.entry));
      const status = c.provider === 'volcengine' ? catalog.arkTypeStatus[c.type] ?? null : null;
      streamed.push({ ...c, status, sentStatus: 200, via: 'sse' });
    }
    for (const s of streamed) cases.splice(rng.int(0, cases.length), 0, s);
  }
  if (target.cozeStream) {
    // chat.stream meets a Coze error two ways: an `event: error` in the stream, or a JSON body
    // instead of a stream (the request was refused before it began).
    cases.forEach((c, i) => {
      c.via = i % 3 === 1 ? 'json' : 'sse';
    });
  }
  return cases;
}

function shuffle(list, rng) {
  for (let i = list.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [list[i], list[j]] = [list[j], list[i]];
  }
}

// The HTTP answer for a case, and what was sent (for the manifest).
function respond(c, target, filler, ids) {
  const fixed = {};
  const code = c.code && c.code.includes('{{') ? filler.fill(c.code, c.code, fixed) : c.code;
  const message = c.text == null ? null : filler.fill(c.text, entryKeyOf(c), fixed);
  const sent = { code, message };
  const base = { host: target.host, path: target.path, headers: [], status: c.status };
  if (c.kind === 'bodyless') return { plan: { ...base, body: '', headers: [['Connection', 'keep-alive']] }, sent };
  const headers = [];
  let body;
  switch (c.provider) {
    case 'zhipu':
      body = { error: { code, message } };
      break;
    case 'ppio':
      body = { code: c.status, reason: code, message, metadata: {} };
      break;
    case 'volcengine': {
      body = { error: { code, message, param: fixed.Parameter ?? '', type: c.type } };
      headers.push(['X-Request-Id', ids.arkRequestId()]);
      break;
    }
    case 'coze': {
      const logid = ids.cozeLogid();
      headers.push(['X-Tt-Logid', logid]);
      sent.logid = logid;
      if (c.via === 'sse') {
        const created = { id: ids.chatId(), conversation_id: ids.chatId(), bot_id: target.bot, created_at: Math.floor(Date.now() / 1000), last_error: { code: 0, msg: '' }, status: 'created' };
        const sse = `event: conversation.chat.created\ndata: ${compact(created)}\n\nevent: error\ndata: ${compact({ code: Number(code), msg: message })}\n\n`;
        return { plan: { ...base, status: 200, body: sse, contentType: 'text/event-stream', headers }, sent };
      }
      return { plan: { ...base, status: 200, body: compact({ code: Number(code), msg: message, detail: { logid } }), contentType: JSON_TYPE, headers }, sent };
    }
    default:
      throw new Error(c.provider);
  }
  if (c.via === 'sse') {
    const chunk = completionChunk(target, ids, 'Here is');
    const sse = `data: ${compact(chunk)}\n\ndata: ${compact(body)}\n\n`;
    return { plan: { ...base, status: 200, body: sse, contentType: 'text/event-stream', headers }, sent };
  }
  return { plan: { ...base, body: compact(body), contentType: JSON_TYPE, headers }, sent };
}

const entryKeyOf = (c) => (c.entry ? entryKey(c.entry) : `${c.provider}/${c.code}`);

const compact = (v) => JSON.stringify(v);

function completionChunk(target, ids, content) {
  return { id: ids.requestId(), object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: target.model, choices: [{ index: 0, delta: { role: 'assistant', content }, finish_reason: null }] };
}

const REPLIES = ['好的，已为您整理成三点。', 'Here is a short summary of the ticket.', '订单 #20261102-118 已查询到，预计明天送达。', 'The function returns the parsed config.', '已翻译完成。'];

// A successful answer, so the logs have ordinary traffic between errors.
function success(target, ids, rng) {
  const base = { host: target.host, path: target.path, headers: [], status: 200, contentType: JSON_TYPE };
  if (target.provider === 'coze') return cozeSuccess(target, ids, rng, base);
  const prompt = rng.int(100, 800);
  const completion = rng.int(20, 320);
  const body = {
    id: ids.requestId(),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: target.model,
    choices: [{ index: 0, message: { role: 'assistant', content: rng.pick(REPLIES) }, finish_reason: 'stop' }],
    usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
  };
  if (target.provider === 'volcengine') base.headers.push(['X-Request-Id', ids.arkRequestId()]);
  return { plan: { ...base, body: compact(body) }, tokens: prompt + completion };
}

function cozeSuccess(target, ids, rng, base) {
  const logid = ids.cozeLogid();
  const now = Math.floor(Date.now() / 1000);
  const chat = { id: ids.chatId(), conversation_id: ids.chatId(), bot_id: target.bot, created_at: now, last_error: { code: 0, msg: '' }, status: 'created' };
  const headers = [['X-Tt-Logid', logid]];
  if (!target.cozeStream) {
    const body = { code: 0, msg: '', data: { ...chat, status: 'in_progress' }, detail: { logid } };
    return { plan: { ...base, headers, body: compact(body) }, tokens: 0 };
  }
  const tokens = rng.int(300, 1200);
  const reply = rng.pick(REPLIES);
  const half = Math.floor(reply.length / 2);
  const events = [['conversation.chat.created', chat], ['conversation.chat.in_progress', { ...chat, status: 'in_progress' }]];
  for (const piece of [reply.slice(0, half), reply.slice(half)]) {
    events.push(['conversation.message.delta', { id: ids.chatId(), conversation_id: chat.conversation_id, bot_id: target.bot, role: 'assistant', type: 'answer', content: piece, content_type: 'text', chat_id: chat.id }]);
  }
  events.push(['conversation.chat.completed', { ...chat, status: 'completed', completed_at: now + 3, usage: { token_count: tokens, output_count: Math.floor(tokens / 5), input_count: tokens - Math.floor(tokens / 5) } }]);
  const body = events.map(([ev, d]) => `event: ${ev}\ndata: ${compact(d)}\n\n`).join('') + 'event: done\ndata: "[DONE]"\n\n';
  return { plan: { ...base, headers, contentType: 'text/event-stream', body }, tokens };
}

module.exports = { casesFor, respond, success };
