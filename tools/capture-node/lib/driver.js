'use strict';
// One log file: one SDK against one endpoint, logged in one style.

const { Filler, entryKey } = require('./catalog');
const { casesFor, respond, success } = require('./cases');
const { Ids, Rng, installGlobals, restoreGlobals, pathRewriter } = require('./determinism');
const { manifestRecord } = require('./manifest');
const { Sink, makeLogger } = require('./styles');

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir'];

// Plain application lines between the calls.
const FILLER = [
  (rng) => ['request completed', { method: 'POST', path: '/api/v1/assist', status: 200, duration_ms: rng.int(400, 2400) }],
  () => ['request completed', { method: 'GET', path: '/healthz', status: 200, duration_ms: 1 }],
  (rng) => ['cache stats', { hit_ratio: `0.${rng.int(10, 99)}` }],
  (rng) => ['worker heartbeat', { queue_depth: rng.int(0, 40) }],
];

// Lets async loggers (winston's streams) finish writing before the sink is read.
async function settle(sink) {
  for (let stable = 0, last = -1; stable < 3; ) {
    await new Promise((r) => setImmediate(r));
    if (sink.text.length === last) stable++;
    else [stable, last] = [0, sink.text.length];
  }
}

async function captureFile({ target, style, catalog, clock, server, proxyUrl, toolDir }) {
  const name = `${target.name}-${style}`;
  clock.reset(name);
  const ids = new Ids(name, clock);
  const rng = new Rng('plan:' + name);
  const filler = new Filler(ids, target.model);
  // One order of cases per target, so its styles can be compared line for line.
  const cases = casesFor(target, catalog, new Rng('cases:' + target.name));

  const sink = new Sink();
  const logger = makeLogger(style, sink, clock);
  const saved = CONSOLE_METHODS.map((m) => console[m]);
  installGlobals(clock, name);
  // Whatever the SDKs print through the global console lands in the same log, as on a server.
  for (const m of CONSOLE_METHODS) console[m] = logger.console[m].bind(logger.console);
  const manifest = [];
  const rows = new Set();
  try {
    const client = target.makeClient(proxyUrl, target.name.startsWith('openai7') ? logger.sdkLogger : undefined);
    logger.info('llm client ready', target.provider === 'coze' ? { baseURL: target.baseURL, bot_id: target.bot } : { baseURL: target.baseURL, model: target.model });

    const ok = async () => {
      const { plan } = success(target, ids, rng);
      server.expect(plan);
      const result = await target.call(client, false);
      server.checkDrained(name);
      if (result.event) throw new Error(`${name}: a successful answer gave an error event`);
      if (result.submitted) logger.info('chat submitted', { bot_id: target.bot });
      else logger.info('chat ok', target.model ? { model: target.model, tokens: result.tokens } : { tokens: result.tokens });
      clock.pause();
    };

    logger.info(...FILLER[0](rng));
    await ok();
    for (const [i, c] of cases.entries()) {
      if (rng.float() < 0.35) {
        logger.info(...rng.pick(FILLER)(rng));
        clock.pause(0.5, 3);
      }
      const { plan, sent } = respond(c, target, filler, ids);
      server.expect(plan);
      let raised = null;
      let result = null;
      try {
        result = await target.call(client, c.via === 'sse' && target.provider !== 'coze');
      } catch (err) {
        raised = err;
      }
      server.checkDrained(name);
      await settle(sink);
      const start = sink.text.length;
      if (raised) logger.error(raised);
      else if (result && result.event) logger.event(result.event);
      else throw new Error(`${name}: ${c.provider} ${sent.code ?? c.status} raised nothing`);
      await settle(sink);
      const record = sink.text.slice(start);
      const startLine = countLines(sink.text.slice(0, start)) + 1;
      manifest.push(manifestRecord({ c, sent, record, startLine, catalog, extra: { sdk: target.sdk, sdk_version: target.sdkVersion, style, host: target.host } }));
      if (c.entry) rows.add(entryKey(c.entry));
      clock.pause();
      if (i % 3 === 2) await ok();
    }
    await ok();
    await settle(sink);
  } finally {
    CONSOLE_METHODS.forEach((m, i) => (console[m] = saved[i]));
    restoreGlobals();
  }
  const text = normalise(sink.text, toolDir, proxyUrl);
  return { name, text, manifest, rows };
}

function countLines(text) {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

// Local paths become a deployed service's; the npm alias `openai4` is the `openai` package.
function normalise(text, toolDir, proxyUrl) {
  let out = pathRewriter(toolDir)(text).split('/node_modules/openai4/').join('/node_modules/openai/');
  if (out.includes(proxyUrl.replace('http://', ''))) throw new Error('the loopback proxy address leaked into a log');
  return out;
}

module.exports = { captureFile };
