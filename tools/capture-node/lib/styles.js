'use strict';
// The ways Node services log an SDK error, each writing into one in-memory sink.
//
// A style is an application logger: `info` for ordinary lines, `error` for an exception the SDK
// raised, `event` for a Coze stream's error event (which @coze/api yields rather than raises).
// The calls are the ones applications make; what comes out is whatever console, util.inspect,
// pino and winston print for the SDK's real objects.

const { Console } = require('console');
const { Writable } = require('stream');
const util = require('util');
const pino = require('pino');
const winston = require('winston');

const STYLES = ['console-error', 'console-warn', 'inspect', 'pino', 'winston-json', 'winston-text', 'template'];

// Collects what the logger writes, synchronously, in order.
class Sink extends Writable {
  constructor() {
    super({ decodeStrings: false, objectMode: false });
    this.text = '';
  }
  _write(chunk, _enc, done) {
    this.text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    done();
  }
}

function consoleOf(sink) {
  return new Console({ stdout: sink, stderr: sink, colorMode: false });
}

// The application's loggers for one style. `clock.tick()` stamps each record.
function makeLogger(style, sink, clock) {
  const con = consoleOf(sink);
  switch (style) {
    case 'console-error':
    case 'console-warn':
    case 'inspect':
    case 'template':
      return consoleStyle(style, con);
    case 'pino':
      return pinoStyle(sink, clock);
    case 'winston-json':
    case 'winston-text':
      return winstonStyle(style, sink, clock);
    default:
      throw new Error(style);
  }
}

function consoleStyle(style, con) {
  return {
    console: con,
    info(msg, fields = {}) {
      const kv = Object.entries(fields).map(([k, v]) => `${k}=${v}`).join(' ');
      con.log(kv ? `${msg} ${kv}` : msg);
    },
    error(err) {
      if (style === 'console-error') con.error(err);
      // @coze/api keeps the body in `rawError` (its `error` field is commented out in the SDK).
      else if (style === 'console-warn') con.warn('retrying', err.status, err.rawError ?? err.error);
      else if (style === 'inspect') con.error(util.inspect(err, { depth: 4 }));
      else con.error(`LLM call failed: ${err.message}`);
    },
    event(part) {
      if (style === 'console-error') con.error('coze stream error', part.data);
      else if (style === 'console-warn') con.warn('retrying', part.event, part.data);
      else if (style === 'inspect') con.error(util.inspect(part, { depth: 4 }));
      else con.error(`LLM call failed: ${part.data.msg}`);
    },
  };
}

function pinoStyle(sink, clock) {
  const stream = { write: (s) => sink.write(s) };
  const log = pino(
    {
      base: { pid: 4242, hostname: 'llm-gateway-7d9f8c6b5-x2kqp' },
      timestamp: () => `,"time":${clock.tick()}`,
    },
    stream,
  );
  return {
    console: consoleOf(sink),
    sdkLogger: log.child({ module: 'openai' }),
    info(msg, fields = {}) {
      log.info(fields, msg);
    },
    error(err) {
      log.error({ err }, 'llm call failed');
    },
    event(part) {
      log.error({ event: part.event, data: part.data }, 'coze stream error');
    },
  };
}

function winstonStyle(style, sink, clock) {
  const { combine, timestamp, errors, json, printf } = winston.format;
  const stamp = timestamp({ format: () => (clock.tick(), clock.iso()) });
  // The text layout most services copy: time, level, message, the rest as JSON, then the stack.
  const text = printf(({ timestamp: ts, level, message, stack, ...meta }) => {
    const rest = Object.keys(meta).length ? ' ' + JSON.stringify(meta) : '';
    return `${ts} ${level}: ${message}${rest}${stack ? '\n' + stack : ''}`;
  });
  const log = winston.createLogger({
    level: 'info',
    format: style === 'winston-json' ? combine(stamp, errors({ stack: true }), json()) : combine(stamp, errors({ stack: true }), text),
    transports: [new winston.transports.Stream({ stream: sink })],
  });
  return {
    console: consoleOf(sink),
    info(msg, fields = {}) {
      log.info(msg, fields);
    },
    error(err) {
      log.error('llm call failed', err);
    },
    event(part) {
      log.error('coze stream error', { event: part.event, data: part.data });
    },
  };
}

module.exports = { STYLES, Sink, makeLogger };
