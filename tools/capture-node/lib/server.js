'use strict';
// The loopback "providers": an HTTP proxy on 127.0.0.1 that answers by itself.
//
// The SDKs are given the providers' real https:// base URLs and a proxy agent pointing here.
// Each CONNECT open.bigmodel.cn:443 (or api.z.ai, ...) is accepted and the tunnel handed to an
// in-process TLS server whose certificate names the five provider hosts (signed by a CA made
// for the run and trusted through NODE_EXTRA_CA_CERTS). So the SDKs resolve, log and verify the
// real host names; nothing leaves the machine. Each request is answered with the response the
// driver queued for it, and the Host it was sent to is checked against the plan.

const fs = require('fs');
const http = require('http');
const https = require('https');

class ProviderServer {
  constructor({ key, cert, clock }) {
    this.clock = clock;
    this.plans = [];
    this.problems = [];
    this.tls = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (req, res) => this.serve(req, res));
    this.proxy = http.createServer((req, res) => {
      this.problems.push(`request without CONNECT: ${req.method} ${req.url}`);
      res.writeHead(502, { 'content-length': '0' });
      res.end();
    });
    this.proxy.on('connect', (req, socket, head) => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) socket.unshift(head);
      this.tls.emit('connection', socket);
    });
  }

  listen() {
    return new Promise((resolve) => this.proxy.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${this.proxy.address().port}`)));
  }

  close() {
    this.tls.close();
    this.proxy.closeAllConnections();
    this.proxy.close();
  }

  expect(plan) {
    this.plans.push(plan);
  }

  // Every queued answer was asked for, by the host it was meant for.
  checkDrained(what) {
    if (this.plans.length) throw new Error(`${what}: ${this.plans.length} planned response(s) never requested (did the SDK retry or skip?)`);
    if (this.problems.length) throw new Error(`${what}: ${this.problems.join('; ')}`);
  }

  serve(req, res) {
    req.resume();
    req.on('end', () => {
      const plan = this.plans.shift();
      if (!plan) {
        this.problems.push(`unplanned request ${req.method} ${req.headers.host}${req.url}`);
        res.writeHead(599, { 'content-length': '0' });
        res.end();
        return;
      }
      if (req.headers.host !== plan.host) this.problems.push(`expected host ${plan.host}, got ${req.headers.host}${req.url}`);
      if (plan.path && !req.url.startsWith(plan.path)) this.problems.push(`expected path ${plan.path}, got ${req.url}`);
      this.clock.latency();
      const body = Buffer.from(plan.body, 'utf8');
      res.sendDate = false; // the real Date would make reruns differ
      const headers = [['Date', this.clock.httpDate()], ...plan.headers];
      if (plan.contentType) headers.push(['Content-Type', plan.contentType]);
      headers.push(['Content-Length', String(body.length)]);
      res.writeHead(plan.status, plan.reason ?? http.STATUS_CODES[plan.status] ?? '', headers.flat());
      res.end(body);
    });
  }
}

module.exports = { ProviderServer };
