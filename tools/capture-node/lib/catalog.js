'use strict';
// The catalog (`errwatch catalog --format json`) turned into what the loopback server sends.
//
// Every documented row becomes one or more cases (its message and each of its aliases), with
// placeholders filled; the statuses, bodies and Ark types come from the rows themselves. The
// only things written here are what the catalog cannot say: the status Zhipu gives a business
// code (its document lists none), a few undocumented codes, and plausible placeholder values.

const PLACEHOLDER = /\{\{(\w+)\}\}|\$\{(\w+)\}|\{(\w+)\}|%s/g;

const hasCjk = (text) => /[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]/.test(text);

// Zhipu's business codes have no documented status. What the services answer with, as
// tools/capture/README.md describes it: 401 for authentication, 429 for account, balance and
// rate codes, 400 for request and policy codes; server errors 500.
function zhipuStatus(entry) {
  const code = Number(entry.code);
  if (entry.category === 'server_error') return 500;
  if (code >= 1000 && code < 1100) return 401;
  if (code >= 1100 && code < 1200) return 429;
  if (code >= 1200 && code < 1302) return 400;
  return 429;
}

// Codes the services send that no document lists. Each has a status, its Ark type where
// Ark has one, and messages in the language each host answers in.
const UNDOCUMENTED = {
  zhipu: [
    { code: '1261', status: 400, zh: 'Prompt 超长', en: 'Prompt exceeds max length' },
    { code: '1305', status: 429, zh: '该模型当前访问量过大，请您稍后再试', en: 'The service may be temporarily overloaded, please try again later' },
    { code: '1399', status: 400, zh: '请求被上游策略拦截', en: 'Request rejected by an upstream policy' },
  ],
  volcengine: [
    { code: 'ModelAccountIpmRateLimitExceeded', status: 429, type: 'TooManyRequests', en: 'IPM (Images Per Minute) limit of the model is exceeded. Request ID: {id}' },
    { code: 'ServiceUnavailable', status: 503, type: 'ServiceUnavailable', en: 'The service is temporarily unavailable. Please retry later. Request ID: {id}' },
    { code: 'InvalidSubscription', status: 403, type: 'Forbidden', en: 'The subscription of the endpoint has expired or is invalid. Request ID: {id}' },
  ],
  ppio: [
    { code: 'CONTEXT_LENGTH_EXCEEDED', status: 400, zh: '上下文长度超过模型限制' },
    { code: 'MODEL_OVERLOADED', status: 503, zh: '模型负载过高，请稍后重试' },
    { code: 'INVALID_MODEL_PARAMS', status: 400, zh: '模型参数不合法' },
  ],
  coze: [
    // 700012006 is the example in Coze's own error-code document, not one of its rows.
    { code: '700012006', zh: 'access token invalid' },
    { code: '4027', zh: '工作流运行超时' },
    { code: '4023', zh: '插件调用失败' },
  ],
};

// Plausible values, one list per placeholder name; a row always gets the same one.
const VALUES = {
  method: ['SSE', 'sync'],
  field: ['messages', 'temperature', 'top_p', 'max_tokens'],
  field1: ['temperature'],
  field2: ['top_p'],
  API_name: ['glm-4-alltools', 'cogview-4'],
  next_flush_time: ['2026-11-02 15:00:00'],
  number: ['5'],
  Parameter: ['model', 'messages', 'temperature', 'max_tokens'],
  ResourceType: ['endpoint'],
  ResourceContent: ['ep-20261030173512-x7k2p'],
};

const ARK_ACCOUNT = '2108832479';
const ARK_ENDPOINT = 'ep-20261030173512-x7k2p';

class Filler {
  constructor(ids, model) {
    this.ids = ids;
    this.model = model;
  }
  // The value of one placeholder; `before`/`after` are the text around it, which says what a
  // bare `%s` stands for.
  value(name, key, before, after, text) {
    if (name === 'id' || name === 'request_id') return this.ids.arkRequestId();
    if (name === 'error_id') return this.ids.hex(16);
    if (name === 'unit') return hasCjk(text) ? '小时' : 'hours';
    if (name === '%s') {
      const near = (before.slice(-16) + ' | ' + after.slice(0, 10)).toLowerCase();
      if (/account\s*\[?\s*\|/.test(near)) return ARK_ACCOUNT;
      if (/endpoint\s*\|/.test(near)) return ARK_ENDPOINT;
      return this.model;
    }
    const list = VALUES[name];
    if (!list) throw new Error(`no value for placeholder ${name} in ${JSON.stringify(text)}`);
    return list[crcIndex(key, list.length)];
  }
  fill(text, key, fixed = {}) {
    return text.replace(PLACEHOLDER, (match, braces2, dollar, brace1, offset) => {
      const name = braces2 || dollar || brace1 || '%s';
      if (fixed[name] !== undefined) return fixed[name];
      const v = this.value(name, key, text.slice(0, offset), text.slice(offset + match.length), text);
      if (name !== 'id' && name !== 'request_id' && name !== '%s') fixed[name] = v;
      return v;
    });
  }
}

function crcIndex(key, n) {
  let h = 0;
  for (const ch of key) h = (h * 31 + ch.codePointAt(0)) >>> 0;
  return h % n;
}

function templateRegex(text) {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    out += escapeRegex(text.slice(last, m.index)) + '.+?';
    last = m.index + m[0].length;
  }
  return new RegExp('^' + out + escapeRegex(text.slice(last)) + '$', 's');
}

const escapeRegex = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

class Catalog {
  constructor(entries) {
    this.entries = entries;
    for (const e of entries) {
      e.texts = [e.message, ...(e.aliases || [])];
      e.patterns = e.texts.map(templateRegex);
    }
    // Ark's `type` names one status (BadRequest = 400 ...): the status a stream error carries.
    this.arkTypeStatus = {};
    for (const e of entries) if (e.type && e.http_status) this.arkTypeStatus[e.type] = e.http_status;
  }
  of(provider) {
    return this.entries.filter((e) => e.provider === provider);
  }
  // The rows a printed message identifies: those of the provider, with the status the log
  // shows (or none documented), whose message or an alias the text equals.
  identify(provider, status, text) {
    return this.of(provider).filter(
      (e) => (status == null || e.http_status == null || e.http_status === status) && e.patterns.some((re) => re.test(text)),
    );
  }
  categoryAtStatus(provider, status) {
    const cats = new Set(this.of(provider).filter((e) => e.http_status === status).map((e) => e.category));
    return cats.size === 1 ? [...cats][0] : null;
  }
  // Statuses at which every documented row of the provider has one category: a response with
  // that status and no body still says what went wrong.
  bodylessStatuses(provider) {
    const byStatus = new Map();
    for (const e of this.of(provider)) {
      if (e.http_status == null) continue;
      if (!byStatus.has(e.http_status)) byStatus.set(e.http_status, new Set());
      byStatus.get(e.http_status).add(e.category);
    }
    return [...byStatus]
      .filter(([, cats]) => cats.size === 1)
      .map(([status, cats]) => ({ status, category: [...cats][0], rows: this.of(provider).filter((e) => e.http_status === status).length }))
      .sort((a, b) => a.status - b.status);
  }
}

function entryKey(e) {
  return `${e.provider}/${e.code}/${e.variant || ''}`;
}

module.exports = { Catalog, Filler, UNDOCUMENTED, zhipuStatus, hasCjk, entryKey, templateRegex };
