// The service worker, served from /sw.js (diary/web/views/app.py puts CONFIG in front of this file).
// It keeps only the app shell: our static files, the empty log page (/log/offline/) and the page
// saying that another page needs a connection (/offline/); neither holds diary content. Diary
// pages and health data are never stored here: every other request goes to the network.
// Without one, a log address gets the log shell and any other page the offline page, so
// History and Home never show the log form under their own addresses.
//
// The shell is kept for one account and session at a time (the cache's name ends with them, as
// the page names them: offline.js). The page asks for it on each load; when another account or
// session signs in, everything kept for the one before is deleted first, then kept afresh.
// The nights typed without a connection are kept by the page itself (offline.js, IndexedDB).
/* global CONFIG */
const PREFIX = `shell-${CONFIG.version}-`;
const LOG_PAGE = /^\/log\/(\d{4}-\d{2}-\d{2}\/)?$/;

const OFFLINE_PAGE = `<!doctype html><html lang="en"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Offline</title>
<p role="status">You're offline. Open the diary again when you have a signal.</p></html>`;

async function keep(cache, url, owner) {
  // A redirect (signed out) or an error page must not become the shell, nor a page rendered
  // for another sign-in than the one the cache is named after.
  const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
  if (!response.ok || response.redirected) throw new Error(`not kept: ${url}`);
  const named = response.headers.get("X-Outbox-Owner");
  if (named !== null && named !== owner) throw new Error(`another sign-in: ${url}`);
  await cache.put(url, response);
}

async function dropAllBut(name) {
  const names = await caches.keys();
  await Promise.all(names.filter((other) => other !== name).map((other) => caches.delete(other)));
}

// The shell for this owner ("account-session"), or none at all for "" (signed out).
async function keepFor(owner) {
  const name = owner ? PREFIX + owner : "";
  await dropAllBut(name);
  if (!owner || (await caches.has(name))) return;
  const cache = await caches.open(name);
  try {
    await Promise.all([
      ...CONFIG.staticFiles.map((url) => keep(cache, url, null)),
      keep(cache, CONFIG.shellPage, owner),
      keep(cache, CONFIG.offlinePage, owner),
    ]);
  } catch {
    await caches.delete(name); // half a shell is no shell: the next page load tries again
  }
}

// Requests to keep a shell run one after another, each for the latest sign-in asked for: a
// sign-out or another sign-in while a shell is still being fetched must not leave that shell
// behind (its fetch finishing after the page had deleted it would put it back).
let queue = Promise.resolve();
let wanted = "";

function keepLatest(owner) {
  wanted = owner;
  queue = queue.then(() => keepFor(wanted)).catch(() => {});
  return queue;
}

async function keptShell() {
  const name = (await caches.keys()).find((other) => other.startsWith(PREFIX));
  return name ? caches.open(name) : null;
}

self.addEventListener("install", (event) => {
  event.waitUntil(self.skipWaiting());
});

self.addEventListener("activate", (event) => {
  // A new version keeps the shell again for whoever the old one kept it for.
  event.waitUntil(
    caches
      .keys()
      .then((names) => {
        const old = names.find((name) => name.startsWith("shell-") && !name.startsWith(PREFIX));
        const owner = old ? old.split("-").slice(2).join("-") : "";
        return owner ? keepLatest(owner) : dropAllBut(null);
      })
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  if (event.data && typeof event.data.keepFor === "string") {
    event.waitUntil(keepLatest(event.data.keepFor));
  }
});

async function offlineAnswer(url) {
  const cache = await keptShell();
  const page = LOG_PAGE.test(url.pathname) ? CONFIG.shellPage : CONFIG.offlinePage;
  const kept = cache && (await cache.match(page, { ignoreVary: true }));
  return (
    kept || new Response(OFFLINE_PAGE, { status: 503, headers: { "Content-Type": "text/html" } })
  );
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // Pages always come from the network, and are never stored; without one, the shell.
    event.respondWith(fetch(request).catch(() => offlineAnswer(url)));
    return;
  }
  if (CONFIG.staticFiles.includes(url.pathname)) {
    event.respondWith(
      keptShell()
        .then((cache) => cache && cache.match(request, { ignoreVary: true }))
        .then((kept) => kept || fetch(request)),
    );
  }
});
