// The service worker, served from /sw.js (diary/views/app.py puts CONFIG in front of this file).
// It keeps only the app shell: our static files and the empty log page (/log/offline/), which
// holds no diary content. Diary pages and health data are never stored here: every other
// request goes to the network, and a page that cannot be fetched is answered with the shell.
// The nights typed without a connection are kept by the page itself (offline.js, IndexedDB).
/* global CONFIG */
const CACHE = `shell-${CONFIG.version}`;

async function keep(cache, url) {
  // A redirect (signed out) or an error page must not become the shell.
  const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
  if (response.ok && !response.redirected) await cache.put(url, response);
}

async function keepShell() {
  const cache = await caches.open(CACHE);
  await Promise.allSettled([...CONFIG.staticFiles, CONFIG.shellPage].map((url) => keep(cache, url)));
}

self.addEventListener("install", (event) => {
  event.waitUntil(keepShell().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  // The page asks for a fresh shell (a new sign-in changes its form token).
  if (event.data === "refresh-shell") {
    event.waitUntil(caches.open(CACHE).then((cache) => keep(cache, CONFIG.shellPage)));
  }
});

const OFFLINE_PAGE = `<!doctype html><html lang="en"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Offline</title>
<p>No connection. Open the diary again when you have a signal.</p></html>`;

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // Pages always come from the network, and are never stored; without one, the shell.
    event.respondWith(
      fetch(request).catch(async () => {
        const shell = await caches.match(CONFIG.shellPage, { cacheName: CACHE, ignoreVary: true });
        return (
          shell ||
          new Response(OFFLINE_PAGE, { status: 503, headers: { "Content-Type": "text/html" } })
        );
      }),
    );
    return;
  }
  if (CONFIG.staticFiles.includes(url.pathname)) {
    event.respondWith(
      caches
        .match(request, { cacheName: CACHE, ignoreVary: true })
        .then((kept) => kept || fetch(request)),
    );
  }
});
