#!/usr/bin/env node
'use strict';
// Capture the log lines real Node.js SDKs print for the providers' error responses.
//
// No provider is reachable, so an in-process server on 127.0.0.1 plays all of them (see
// lib/server.js): for every catalog row (its message and each alias), a few undocumented codes,
// statuses without a body, and mid-stream errors, the SDK makes a real call, raises its real
// error, and the application logs it in one of the styles of lib/styles.js. Between errors the
// application makes successful calls and logs ordinary lines. Each log gets a manifest written
// from what was sent and what was printed (lib/manifest.js), never from errwatch.
//
// Usage: node capture.js [--catalog FILE] [--out DIR] [--only PREFIX]   (see run.sh)

const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const TOOL = __dirname;
const REPO = path.resolve(TOOL, '..', '..');

function parseArgs(argv) {
  const args = { catalog: null, out: path.join(REPO, 'fixtures', 'logs', 'node'), only: null, tls: path.join(REPO, 'target', 'capture-node', 'tls') };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in args)) throw new Error(`unknown option ${argv[i]}`);
    args[key] = argv[++i];
  }
  return args;
}

const HOSTS = ['open.bigmodel.cn', 'api.z.ai', 'ark.cn-beijing.volces.com', 'api.ppinfra.com', 'api.coze.cn'];

// A CA and one certificate naming every provider host, made once per checkout.
function ensureCerts(dir) {
  const files = { ca: path.join(dir, 'ca.pem'), key: path.join(dir, 'providers.key'), cert: path.join(dir, 'providers.pem') };
  if (Object.values(files).every((f) => fs.existsSync(f))) return files;
  fs.mkdirSync(dir, { recursive: true });
  const ssl = (...a) => execFileSync('openssl', a, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  ssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '3650', '-subj', '/CN=errwatch capture CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign');
  ssl('req', ...ec, '-keyout', 'providers.key', '-out', 'providers.csr', '-subj', '/CN=providers');
  fs.writeFileSync(path.join(dir, 'ext.cnf'), `subjectAltName=${HOSTS.map((h) => 'DNS:' + h).join(',')}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
  ssl('x509', '-req', '-in', 'providers.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'providers.pem', '-days', '3650', '-extfile', 'ext.cnf');
  return files;
}

function loadCatalog(file) {
  const text = file ? fs.readFileSync(file, 'utf8') : execFileSync('cargo', ['run', '--quiet', '--', 'catalog', '--format', 'json'], { cwd: REPO, encoding: 'utf8', maxBuffer: 64 << 20 });
  return JSON.parse(text);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const certs = ensureCerts(args.tls);
  // Node reads its extra CAs once, at start: run again with ours trusted.
  if (process.env.NODE_EXTRA_CA_CERTS !== certs.ca) {
    const r = spawnSync(process.execPath, [__filename, ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, NODE_EXTRA_CA_CERTS: certs.ca } });
    process.exit(r.status ?? 1);
  }
  if (!process.version.startsWith('v20.')) console.warn(`warning: the fixtures were made with Node 20; ${process.version} prints other stack frames`);
  for (const k of ['OPENAI_LOG', 'OPENAI_BASE_URL', 'HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'NO_PROXY', 'no_proxy']) delete process.env[k];

  const { Catalog } = require('./lib/catalog');
  const { Clock } = require('./lib/determinism');
  const { ProviderServer } = require('./lib/server');
  const { allTargets } = require('./lib/targets');
  const { STYLES } = require('./lib/styles');
  const { captureFile } = require('./lib/driver');

  const catalog = new Catalog(loadCatalog(args.catalog));
  const clock = new Clock();
  const server = new ProviderServer({ key: certs.key, cert: certs.cert, clock });
  const proxyUrl = await server.listen();
  fs.mkdirSync(args.out, { recursive: true });
  const covered = new Set();
  for (const target of allTargets()) {
    if (args.only && !target.name.startsWith(args.only)) continue;
    for (const style of STYLES) {
      const { name, text, manifest, rows } = await captureFile({ target, style, catalog, clock, server, proxyUrl, toolDir: TOOL });
      rows.forEach((k) => covered.add(k));
      write(path.join(args.out, `${name}.log`), text);
      write(path.join(args.out, `${name}.expect.jsonl`), manifest.map((m) => JSON.stringify(m) + '\n').join(''));
      console.log(`${name}.log: ${manifest.length} errors`);
    }
  }
  server.close();
  if (!args.only) {
    const { entryKey } = require('./lib/catalog');
    const missing = catalog.entries.map(entryKey).filter((k) => !covered.has(k));
    if (missing.length) throw new Error(`catalog rows never sent: ${missing.join(', ')}`);
    console.log(`all ${catalog.entries.length} catalog rows sent`);
  }
}

function write(file, text) {
  fs.writeFileSync(file + '.tmp', text, 'utf8');
  fs.renameSync(file + '.tmp', file);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
