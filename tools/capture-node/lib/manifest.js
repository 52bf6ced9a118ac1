'use strict';
// One manifest record per logged error, from what was sent and what the log shows.
//
// Nothing here asks errwatch. The record's `code` is the code the service sent, given only
// when the printed text identifies it: the code itself was printed, or a message was printed
// that is the message (or an alias) of exactly one of the provider's rows at that status.
// `evidence` says which: `code`, else `message`, else `status`; `line` is the first line of
// the error's record that shows it.

const util = require('util');

const escapeRegex = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// `code: '1113'`, `"code":"1113"`, `code: 4011,`, `reason: 'RATE_LIMIT_EXCEEDED'`, and the same
// inside an escaped JSON string.
function codePattern(code) {
  return new RegExp(`(?:\\b(?:code|reason)|\\bcode\\\\?"|\\breason\\\\?")['"]?\\s*[:=]\\s*\\\\?['"]?${escapeRegex(code)}(?![\\w.])`);
}

// The forms a message takes when printed: as is, escaped in JSON, quoted by util.inspect.
function messageForms(message) {
  const forms = new Set([message, JSON.stringify(message).slice(1, -1), util.inspect(message).slice(1, -1)]);
  forms.add(JSON.stringify(JSON.stringify(message).slice(1, -1)).slice(1, -1));
  return [...forms];
}

function firstLine(lines, test) {
  const i = lines.findIndex(test);
  return i < 0 ? null : i;
}

// `record` is the text the error's log call wrote; `startLine` its first line in the file.
function manifestRecord({ c, sent, record, startLine, catalog, extra }) {
  const lines = record.replace(/\n$/, '').split('\n');
  const codeRe = sent.code ? codePattern(sent.code) : null;
  const forms = sent.message ? messageForms(sent.message) : [];
  const statusRe = c.status != null ? new RegExp(`(?<![\\w.])${c.status}(?![\\w.])`) : null;

  const codeAt = codeRe ? firstLine(lines, (l) => codeRe.test(l)) : null;
  const messageAt = forms.length ? firstLine(lines, (l) => forms.some((f) => l.includes(f))) : null;
  const statusAt = statusRe ? firstLine(lines, (l) => statusRe.test(l)) : null;

  let evidence;
  let at;
  if (codeAt != null) [evidence, at] = ['code', codeAt];
  else if (messageAt != null) [evidence, at] = ['message', messageAt];
  else if (statusAt != null) [evidence, at] = ['status', statusAt];
  else throw new Error(`nothing of ${c.provider} ${sent.code} is in its log record: ${JSON.stringify(record)}`);

  let code;
  if (evidence === 'code') code = sent.code;
  else if (evidence === 'message') {
    const rows = catalog.identify(c.provider, c.status, sent.message);
    if (c.kind === 'documented' && !rows.includes(c.entry)) throw new Error(`${sent.message} does not match its own row ${c.entry.code}`);
    if (c.kind === 'undocumented' && rows.length) throw new Error(`undocumented ${sent.code} sends a documented message: ${sent.message}`);
    if (rows.length === 1) code = sent.code;
  }
  const out = { provider: c.provider };
  if (code !== undefined) out.code = code;
  Object.assign(out, {
    category: c.category,
    http_status: c.status,
    known: c.known,
    line: startLine + at,
    evidence,
    ...extra,
    sent_code: sent.code,
    doc_message: c.entry ? c.entry.message : null,
    via: c.kind === 'bodyless' ? 'no-body' : c.via,
  });
  if (c.kind === 'bodyless') out.rows_at_status = c.rows;
  // What a reader can know from a status alone: the category every documented row of the
  // provider at that status shares, or null where they differ.
  if (evidence === 'status') out.category_at_status = catalog.categoryAtStatus(c.provider, c.status);
  return out;
}

module.exports = { manifestRecord, codePattern, messageForms };
