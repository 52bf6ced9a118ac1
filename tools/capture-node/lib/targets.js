'use strict';
// The SDKs and the provider endpoints they are pointed at, and how each one makes a call.
//
// Every client gets the provider's real https:// base URL and reaches the loopback server
// through the proxy mechanism its own documentation gives: openai 5+ takes an undici
// `dispatcher` in `fetchOptions`, openai 4 an `httpAgent`, and @coze/api's axios an
// `httpsAgent` (plain requests) and `fetchOptions` (streams, which it sends with fetch).

const { ProxyAgent, fetch: undiciFetch } = require('undici');
const { HttpsProxyAgent } = require('https-proxy-agent');
const { hasCjk } = require('./catalog');

// The packages' own idea of their version (their package.json is not exported).
const OPENAI_VERSION = require('openai/version').VERSION;
const OPENAI4_VERSION = require('openai4/version').VERSION;
const COZE_VERSION = packageVersion('@coze/api');

function packageVersion(name) {
  const fs = require('fs');
  const path = require('path');
  let dir = path.dirname(require.resolve(name));
  while (!fs.existsSync(path.join(dir, 'package.json')) || JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name !== name) dir = path.dirname(dir);
  return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
}

const MESSAGES = [
  { role: 'system', content: 'You are a helpful assistant.' },
  { role: 'user', content: '帮我总结一下这张工单的要点' },
];

const ENDPOINTS = {
  bigmodel: {
    provider: 'zhipu',
    host: 'open.bigmodel.cn',
    baseURL: 'https://open.bigmodel.cn/api/paas/v4/',
    path: '/api/paas/v4/chat/completions',
    model: 'glm-4-plus',
    language: 'zh',
    // BigModel answers in Chinese; its HTTP status table is its own.
    sends: (e, text) => e.api === 'bigmodel_http' || hasCjk(text),
    bodyless: true,
    streams: true,
  },
  zai: {
    provider: 'zhipu',
    host: 'api.z.ai',
    baseURL: 'https://api.z.ai/api/paas/v4/',
    path: '/api/paas/v4/chat/completions',
    model: 'glm-4.6',
    language: 'en',
    sends: (e, text) => e.api !== 'bigmodel_http' && !hasCjk(text),
    bodyless: true,
    streams: true,
  },
  ark: {
    provider: 'volcengine',
    host: 'ark.cn-beijing.volces.com',
    baseURL: 'https://ark.cn-beijing.volces.com/api/v3',
    path: '/api/v3/chat/completions',
    model: 'doubao-seed-1-6-250615',
    language: 'en',
    sends: () => true,
    bodyless: true,
    streams: true,
  },
  ppio: {
    provider: 'ppio',
    host: 'api.ppinfra.com',
    baseURL: 'https://api.ppinfra.com/v3/openai',
    path: '/v3/openai/chat/completions',
    model: 'deepseek/deepseek-v3.1',
    language: 'zh',
    sends: () => true,
    bodyless: true,
    // PPIO's error shape has no `error` key: in a stream the openai SDKs would take it for a
    // chunk and raise nothing, so no mid-stream case is sent.
    streams: false,
  },
};

const COZE_BOT = '7428933434510426163';
const COZE = {
  provider: 'coze',
  host: 'api.coze.cn',
  baseURL: 'https://api.coze.cn',
  path: '/v3/chat',
  model: '',
  bot: COZE_BOT,
  language: 'zh',
  sends: () => true,
  bodyless: false, // Coze answers its errors with HTTP 200: a bare status names no row
  streams: false,
};

function openaiTarget(major, name, endpoint) {
  const version = major === 7 ? OPENAI_VERSION : OPENAI4_VERSION;
  return {
    ...endpoint,
    name: `openai${major}-${name}`,
    sdk: 'openai',
    sdkVersion: version,
    makeClient(proxyUrl, sdkLogger) {
      if (major === 7) {
        const OpenAI = require('openai').default;
        const options = { apiKey: 'sk-capture-0000000000000000', baseURL: endpoint.baseURL, maxRetries: 0, fetch: undiciFetch, fetchOptions: { dispatcher: new ProxyAgent(proxyUrl) } };
        // With a logger at "info" openai 5+ writes one line per request: method, URL, status.
        if (sdkLogger) Object.assign(options, { logger: sdkLogger, logLevel: 'info' });
        else options.logLevel = 'warn';
        return new OpenAI(options);
      }
      const OpenAI4 = require('openai4').default;
      return new OpenAI4({ apiKey: 'sk-capture-0000000000000000', baseURL: endpoint.baseURL, maxRetries: 0, httpAgent: new HttpsProxyAgent(proxyUrl) });
    },
    // Resolves to tokens used, or to the error the SDK raised.
    async call(client, streamed) {
      if (!streamed) {
        const resp = await client.chat.completions.create({ model: endpoint.model, messages: MESSAGES });
        return { tokens: resp.usage.total_tokens };
      }
      const stream = await client.chat.completions.create({ model: endpoint.model, messages: MESSAGES, stream: true });
      let text = '';
      for await (const chunk of stream) text += chunk.choices?.[0]?.delta?.content ?? '';
      return { tokens: text.length };
    },
  };
}

function cozeTarget(stream) {
  return {
    ...COZE,
    name: stream ? 'coze-stream' : 'coze-chat',
    sdk: '@coze/api',
    sdkVersion: COZE_VERSION,
    cozeStream: stream,
    makeClient(proxyUrl) {
      const { CozeAPI } = require('@coze/api');
      return new CozeAPI({
        token: 'pat_Zb7Kq2LmX9wR4tVn8sYc1pDf6hJg3aEu5iOo0kBe',
        baseURL: COZE.baseURL,
        axiosOptions: { proxy: false, httpsAgent: new HttpsProxyAgent(proxyUrl), fetchOptions: { dispatcher: new ProxyAgent(proxyUrl) } },
      });
    },
    // chat.stream does not raise on a Coze error: it yields an `error` event, returned here.
    async call(client) {
      const { ChatEventType, RoleType } = require('@coze/api');
      const params = { bot_id: COZE_BOT, user_id: 'u_1042', additional_messages: [{ role: RoleType.User, content: '帮我查一下订单 #20261102-118 的物流', content_type: 'text' }] };
      if (!stream) {
        await client.chat.create(params);
        return { tokens: 0, submitted: true };
      }
      let tokens = 0;
      for await (const part of await client.chat.stream(params)) {
        if (part.event === ChatEventType.ERROR) return { event: part };
        if (part.event === ChatEventType.CONVERSATION_CHAT_COMPLETED) tokens = part.data.usage?.token_count ?? 0;
      }
      return { tokens };
    },
  };
}

function allTargets() {
  const out = [];
  for (const major of [7, 4]) for (const [name, ep] of Object.entries(ENDPOINTS)) out.push(openaiTarget(major, name, ep));
  out.push(cozeTarget(false), cozeTarget(true));
  return out;
}

module.exports = { allTargets };
