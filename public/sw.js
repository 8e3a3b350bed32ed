// The wallet's service worker: the wallet opens without a network (stored credentials can be
// read offline), and its files, whose names carry content hashes, come from the cache.
// The build fills in VERSION and ASSETS (e2e/tools/post-build.mjs): the start page's files,
// kept at install. Parts loaded on demand (the workers, a translation) are kept when first fetched, so
// installing costs no more bandwidth than the start page.
const VERSION = '__VERSION__';
const ASSETS = ['__ASSETS__'];
const CACHE = `wallet-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)));
});

// A new version takes over once no tab runs the old one (no skipWaiting): a running wallet keeps
// the files it started with. Then the old caches go.
self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys().then((keys) =>
    Promise.all(keys.filter((k) => k.startsWith('wallet-') && k !== CACHE).map((k) => caches.delete(k)))));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  // Only the wallet's own files: requests to issuers and verifiers are never cached.
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    // The page from the network when there is one; offline, the cached wallet (which reads the
    // path itself). Pages are never stored under their query: links carry one-time codes.
    event.respondWith(fetch(request).catch(() => caches.match('/', { cacheName: CACHE })));
    return;
  }
  event.respondWith(caches.match(request, { cacheName: CACHE }).then((hit) => hit || fetch(request).then((response) => {
    // Files with a content hash never change, and the translations belong to this version (the
    // cache is per version): keep them.
    if (response.ok && (/-[0-9a-f]{16}(_bg)?\.(js|wasm)$/.test(url.pathname) || /^\/i18n\/[a-z]{2}\.json$/.test(url.pathname))) {
      const copy = response.clone();
      event.waitUntil(caches.open(CACHE).then((cache) => cache.put(request, copy)));
    }
    return response;
  })));
});
