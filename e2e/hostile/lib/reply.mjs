// What a case handler can answer. A plain value is sent as 200 JSON; these build anything else.
export const REPLY = Symbol('reply');

const make = (status, headers, body, extra = {}) => ({ [REPLY]: true, status, headers, body, ...extra });

export const reply = {
  json: (value, status = 200, headers = {}) => make(status, { 'content-type': 'application/json', ...headers }, JSON.stringify(value)),
  /** Raw text, sent as is (JSON that is not, HTML pages, JWTs). */
  text: (text, status = 200, type = 'text/plain; charset=utf-8') => make(status, { 'content-type': type }, text),
  jwt: (compact, type = 'application/oauth-authz-req+jwt') => make(200, { 'content-type': type }, compact),
  status: (status) => make(status, {}, ''),
  redirect: (location, status = 302) => make(status, { location }, ''),
  /**
   * `bytes` of JSON-looking filler: with a Content-Length (the wallet may refuse before reading),
   * or chunked without one (it must stop or refuse after reading).
   */
  huge: (bytes, { chunked = false, status = 200 } = {}) => make(status, { 'content-type': 'application/json' }, null, { huge: bytes, chunked }),
};

export function isReply(value) {
  return value !== null && typeof value === 'object' && value[REPLY] === true;
}

/** Writes a reply (or a plain value as JSON) to a Node response. */
export async function send(res, value, extraHeaders) {
  const r = isReply(value) ? value : value === undefined ? reply.status(204) : reply.json(value);
  for (const [k, v] of Object.entries({ ...extraHeaders, ...r.headers })) res.setHeader(k, v);
  if (r.huge) {
    const head = Buffer.from('{"filler":"');
    const tail = Buffer.from('"}');
    if (!r.chunked) res.setHeader('content-length', r.huge);
    res.writeHead(r.status);
    res.write(head);
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let left = r.huge - head.length - tail.length;
    while (left > 0) {
      const n = Math.min(left, chunk.length);
      // Stop quietly when the wallet hangs up (it should, once it has seen enough).
      if (res.destroyed) return;
      if (!res.write(chunk.subarray(0, n))) {
        await new Promise((resolve) => {
          const done = () => { res.off('drain', done); res.off('close', done); resolve(); };
          res.once('drain', done);
          res.once('close', done);
        });
      }
      left -= n;
    }
    if (!res.destroyed) res.end(tail);
    return;
  }
  res.writeHead(r.status);
  res.end(r.body);
}
