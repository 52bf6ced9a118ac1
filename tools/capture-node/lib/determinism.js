'use strict';
// The fake clock, the seeded ids and the path rewriting that make reruns byte-identical.
//
// Everything the SDKs and loggers print that would differ between runs comes from here:
// timestamps (Date.now is replaced, so the SDKs' own "in 231ms" durations are fake too),
// Math.random (openai's request log ids), request ids and logids, and the local paths in
// stack traces.

const START_MS = Date.UTC(2026, 10, 2, 10, 0, 0); // 2026-11-02T10:00:00Z, as tools/capture

// crc32 of a string: seeds per file, so one file's content does not depend on the others.
function crc32(text) {
  let crc = 0xffffffff;
  for (const byte of Buffer.from(text, 'utf8')) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

// mulberry32: small, fast, good enough for picking filler and ids.
class Rng {
  constructor(seed) {
    this.state = crc32(seed) || 1;
  }
  float() {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo, hi) {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }
  pick(list) {
    return list[Math.floor(this.float() * list.length)];
  }
  chars(alphabet, n) {
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[Math.floor(this.float() * alphabet.length)];
    return out;
  }
}

const HEX = '0123456789abcdef';

class Clock {
  constructor() {
    this.reset('');
  }
  reset(seed) {
    this.ms = START_MS;
    this.rng = new Rng('clock:' + seed);
  }
  // One log record: a few milliseconds pass.
  tick() {
    this.ms += this.rng.int(2, 45);
    return this.ms;
  }
  // The provider takes a while to answer.
  latency() {
    this.ms += this.rng.int(60, 900);
  }
  // Time between two calls of the application.
  pause(loS = 1.5, hiS = 6) {
    this.ms += this.rng.int(loS * 1000, hiS * 1000);
  }
  iso() {
    return new Date(this.ms).toISOString();
  }
  // 20261102100003: the prefix Ark, Coze and Zhipu put on their ids.
  stamp() {
    return this.iso().replace(/[-:T]/g, '').slice(0, 14);
  }
  httpDate() {
    return new Date(this.ms).toUTCString();
  }
}

class Ids {
  constructor(seed, clock) {
    this.rng = new Rng('ids:' + seed);
    this.clock = clock;
  }
  hex(n) {
    return this.rng.chars(HEX, n);
  }
  digits(n) {
    return this.rng.chars('0123456789', n);
  }
  // Ark's server request id: "02", the epoch milliseconds, 38 hex digits
  // (0217397861963127a3eba3779afacbf4086645566c141b591d61a in volcengine-java-sdk#107).
  arkRequestId() {
    return '02' + String(this.clock.ms) + this.hex(38);
  }
  // 20261102100004abcdef0123456789abcdef: the form Zhipu and the Python capture use.
  requestId() {
    return this.clock.stamp() + this.hex(22);
  }
  // Coze logid: 2025110522060859DE7DB648C2DCC379B3 (coze-dev/coze-js#314).
  cozeLogid() {
    return this.clock.stamp() + this.hex(20).toUpperCase();
  }
  chatId() {
    return '74' + this.digits(17);
  }
}

const realDateNow = Date.now;
const realRandom = Math.random;

// Date.now and Math.random answer from the file's clock and seed while it is captured.
function installGlobals(clock, seed) {
  const rng = new Rng('random:' + seed);
  Date.now = () => clock.ms;
  Math.random = () => rng.float();
}

function restoreGlobals() {
  Date.now = realDateNow;
  Math.random = realRandom;
}

// Local paths in stack traces become a deployed service's paths.
function pathRewriter(toolDir) {
  const rewrites = [[toolDir + '/node_modules/', '/srv/app/node_modules/'], [toolDir + '/', '/srv/app/']];
  return (text) => {
    for (const [from, to] of rewrites) text = text.split(from).join(to);
    return text;
  };
}

module.exports = { START_MS, crc32, Rng, Clock, Ids, installGlobals, restoreGlobals, pathRewriter };
