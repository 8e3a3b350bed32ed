// Translations as the wallet reads them: `public/i18n/<lang>.json` names each text by its id
// (`{"shell": {"NavScan": "…"}, "journey": {"PinRejected": "…"}}`), for translators and tests;
// the build writes them as arrays in the order of the ids' enums in src/i18n/mod.rs
// (`{"shell": ["…", …], "journey": [...]}`), so that neither module carries the ids' names
// (2.4 KB brotli). A post-build step (e2e/tools/post-build.mjs).

/** The variants of `pub enum <name>` in src/i18n/mod.rs, in declaration order (the order of
 *  `<name>::ALL` and of the enum's discriminants, which index the arrays). */
export function textIds(rustSource, name) {
  const start = rustSource.indexOf(`pub enum ${name} {`);
  if (start < 0) throw new Error(`src/i18n/mod.rs has no enum ${name}`);
  const end = rustSource.indexOf('\n}', start);
  const body = rustSource.slice(start + `pub enum ${name} {`.length, end);
  const ids = [];
  for (const line of body.split('\n')) {
    const code = line.replace(/\/\/.*$/, '').trim();
    if (code === '' || code.startsWith('#[')) continue;
    const m = /^([A-Z][A-Za-z0-9]*),$/.exec(code);
    if (!m) throw new Error(`enum ${name}: cannot read the line ${JSON.stringify(line)}`);
    ids.push(m[1]);
  }
  if (ids.length < 10 || new Set(ids).size !== ids.length) throw new Error(`enum ${name}: ${ids.length} ids, or some twice`);
  return ids;
}

/** A translation file keyed by id, as arrays in the ids' order (null where a text is missing:
 *  the wallet shows English there). An id the wallet does not have stops the build. */
export function toArrays(texts, sections) {
  const out = {};
  for (const [section, ids] of Object.entries(sections)) {
    const given = texts[section] ?? {};
    const unknown = Object.keys(given).filter((id) => !ids.includes(id));
    if (unknown.length > 0) throw new Error(`${section}: texts for ids the wallet does not have: ${unknown.join(', ')}`);
    out[section] = ids.map((id) => (typeof given[id] === 'string' ? given[id] : null));
  }
  return out;
}
