// The morning log without a signal, and each night sent exactly once.
//
// - Registers the service worker (patients only; /sw.js keeps the app shell, never diary pages).
// - Both log forms ("No cramps" and the full log) are sent from here. When the request cannot
//   reach the server, the save is kept in this browser's IndexedDB, shown as "waiting to send",
//   and sent again on page load, when the browser comes back online, and every 30 seconds.
// - Every save carries the idempotency key of its form (a fresh UUID for each form shown). The
//   server saves a key once and answers a repeat like the first, so a save that did arrive but
//   whose answer was lost is never written twice, nor over a later change.
// - Signing out clears what the page kept: the waiting saves, the worker and its cache.
// Without JavaScript the forms post as they always did, with the key the server put in them.
(() => {
  const script = document.currentScript;
  const workerUrl = script?.dataset.serviceWorker;
  const shellUrl = script?.dataset.shell || "/log/offline/";
  // A kept night is sent only for the account that typed it, never for another one signed in
  // later in the same browser (its session ran out, and someone else signed in).
  const account = script?.dataset.account;
  // The page's words (base.html), with their %(name)s placeholders filled in.
  const words = script?.dataset || {};
  const say = (text, values = {}) => text.replace(/%\((\w+)\)s/g, (_, name) => values[name]);
  const DB_NAME = "night-cramp-diary";
  const STORE = "outbox";
  const SAVED = /^\/log\/\d{4}-\d{2}-\d{2}\/saved\/$/;
  const NIGHT = /\d{4}-\d{2}-\d{2}/;
  const RETRY_MS = 30000;
  const sent = [];
  let signInNeeded = false;
  let flushing = null;

  // IndexedDB: one store of waiting saves, keyed by their idempotency key.
  function openDb() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "key" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function inStore(mode, action) {
    const db = await openDb();
    return new Promise((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = action(transaction.objectStore(STORE));
      transaction.oncomplete = () => {
        db.close();
        resolve(request.result);
      };
      transaction.onerror = transaction.onabort = () => {
        db.close();
        reject(transaction.error);
      };
    });
  }

  const waiting = () => inStore("readonly", (store) => store.getAll());
  const keep = (item) => inStore("readwrite", (store) => store.put(item));
  const forget = (key) => inStore("readwrite", (store) => store.delete(key));
  const forgetAll = () => inStore("readwrite", (store) => store.clear());

  function newKey() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  function freshKeys() {
    for (const input of document.querySelectorAll("[data-idempotency-key]")) input.value = newKey();
  }

  function nightLabel(iso) {
    const [year, month, day] = iso.split("-").map(Number);
    return new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
      weekday: "long",
      day: "numeric",
      month: "long",
      timeZone: "UTC",
    }).format(new Date(Date.UTC(year, month - 1, day)));
  }

  // "Last night" in the patient's own time zone, at the moment of the tap.
  function lastNight(zone) {
    let parts;
    try {
      parts = new Intl.DateTimeFormat("en-CA", {
        timeZone: zone || undefined,
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
      }).formatToParts(new Date());
    } catch {
      return lastNight(null); // an unknown zone: the device's own
    }
    const part = (type) => Number(parts.find((p) => p.type === type).value);
    const night = new Date(Date.UTC(part("year"), part("month") - 1, part("day") - 1));
    return night.toISOString().slice(0, 10);
  }

  // The shell page was kept from an earlier day: it logs last night as of now.
  function setShellNight() {
    const shell = document.querySelector("[data-log-shell]");
    if (!shell) return;
    const night = lastNight(shell.dataset.timeZone);
    for (const form of shell.querySelectorAll("[data-offline-form]")) {
      form.action = form.getAttribute("action").replace(NIGHT, night);
    }
    const lead = shell.querySelector("[data-night-lead]");
    if (lead) lead.textContent = lead.textContent.replace(/(\S+ )?\d{1,2} \S+\s*$/, nightLabel(night));
  }

  // The list of waiting saves, at the top of the page.
  function box() {
    let section = document.getElementById("offline-outbox");
    if (!section) {
      section = document.createElement("section");
      section.id = "offline-outbox";
      section.setAttribute("role", "status");
      section.setAttribute("aria-live", "polite");
      section.tabIndex = -1;
      document.getElementById("main")?.prepend(section);
    }
    return section;
  }

  function line(parent, text) {
    const item = document.createElement("li");
    item.textContent = text;
    parent.append(item);
    return item;
  }

  async function show() {
    let items = [];
    try {
      items = (await waiting()).filter((item) => item.account === account);
    } catch {
      return;
    }
    const section = box();
    section.replaceChildren();
    section.hidden = !items.length && !sent.length;
    if (section.hidden) return;
    section.className = `narrow alert ${items.length ? "alert-warning" : "alert-success"} py-2 mb-3`;
    const list = document.createElement("ul");
    list.className = "list-unstyled mb-0";
    for (const item of sent) {
      line(list, say(words.wordSent, { night: nightLabel(item.night) }));
    }
    for (const item of items) {
      const what = item.kind === "no-cramps" ? words.wordNoCramps : words.wordLog;
      const night = nightLabel(item.night);
      if (!item.problem) {
        const state = signInNeeded ? words.wordSignIn : words.wordToSend;
        line(list, say(words.wordWaiting, { night, what, state }));
        continue;
      }
      const row = line(list, say(words.wordRefused, { night, what }));
      const open = document.createElement("a");
      open.className = "alert-link";
      open.href = `/log/${item.night}/`;
      open.textContent = words.wordOpen;
      const drop = document.createElement("button");
      drop.type = "button";
      drop.className = "btn btn-link btn-sm p-0 ms-2 align-baseline";
      drop.textContent = words.wordDiscard;
      drop.addEventListener("click", () => forget(item.key).then(show));
      row.append(open, ".", drop);
    }
    section.append(list);
  }

  function isSaved(response) {
    return response.ok && response.redirected && SAVED.test(new URL(response.url).pathname);
  }

  function send(item, token) {
    const body = new URLSearchParams(item.body);
    if (token) body.set("csrfmiddlewaretoken", token);
    return fetch(item.action, { method: "POST", body, credentials: "same-origin" });
  }

  // A form token from the server (a kept shell may hold an old one), or null when signed out.
  async function freshToken() {
    const response = await fetch(shellUrl, { cache: "no-store", credentials: "same-origin" });
    if (!response.ok || new URL(response.url).pathname !== shellUrl) return null;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    return page.querySelector("input[name=csrfmiddlewaretoken]")?.value || null;
  }

  async function sendWaiting() {
    const items = (await waiting()).filter((item) => !item.problem && item.account === account);
    if (!items.length) return;
    let token;
    try {
      token = await freshToken();
    } catch {
      return; // still no connection
    }
    signInNeeded = token === null;
    if (signInNeeded) return;
    for (const item of items.sort((a, b) => a.created - b.created)) {
      let response;
      try {
        response = await send(item, token);
      } catch {
        return; // the connection went again: the rest wait
      }
      if (isSaved(response)) {
        await forget(item.key);
        sent.push(item);
      } else if (response.status >= 500) {
        return; // the server's trouble: try again later
      } else if (response.redirected && !NIGHT.test(new URL(response.url).pathname)) {
        signInNeeded = true; // sent to the sign-in page
        return;
      } else {
        // The server answered with a page (a question, or a refusal): the patient decides.
        item.problem = true;
        await keep(item);
      }
    }
  }

  function flush() {
    if (!flushing) {
      flushing = sendWaiting()
        .catch(() => {})
        .finally(() => {
          flushing = null;
          show();
        });
    }
    return flushing;
  }

  async function submitLog(event) {
    const form = event.target;
    if (event.submitter?.hasAttribute("data-add-cramp")) return; // log.js, or the server
    event.preventDefault();
    const body = new URLSearchParams(new FormData(form, event.submitter));
    if (!body.get("idempotency_key")) body.set("idempotency_key", newKey());
    const item = {
      key: body.get("idempotency_key"),
      action: form.action,
      body: body.toString(),
      night: form.action.match(NIGHT)?.[0],
      kind: form.dataset.offlineForm,
      account,
      created: Date.now(),
    };
    let response;
    try {
      response = await send(item);
    } catch {
      // No connection (or no answer): kept, with its key, until it can be sent.
      await keep(item);
      if (item.kind === "log") form.reset();
      freshKeys();
      delete form.dataset.submitted; // log.js: a new save may follow
      await show();
      box().focus();
      return;
    }
    if (isSaved(response)) {
      window.location.assign(response.url);
      return;
    }
    // Anything else (errors to fix, a question to answer): the server's own page, as without
    // JavaScript. Nothing was saved, so the key is still unused.
    HTMLFormElement.prototype.submit.call(form);
  }

  async function signOut(event) {
    const form = event.target;
    event.preventDefault();
    try {
      const items = await waiting();
      const lost = items.length === 1 ? words.wordLostOne : words.wordLostMany;
      if (items.length && !window.confirm(say(lost, { count: items.length }))) return;
      await forgetAll();
    } catch {
      // nothing kept, or no storage: sign out all the same
    }
    try {
      if (window.caches) for (const name of await caches.keys()) await caches.delete(name);
      if (navigator.serviceWorker) {
        for (const registration of await navigator.serviceWorker.getRegistrations()) {
          await registration.unregister();
        }
      }
    } finally {
      HTMLFormElement.prototype.submit.call(form);
    }
  }

  document.addEventListener("submit", (event) => {
    if (event.defaultPrevented) return; // log.js stopped a second tap
    if (event.target.matches("[data-offline-form]")) submitLog(event);
    else if (event.target.matches("[data-sign-out]")) signOut(event);
  });

  function start() {
    setShellNight();
    freshKeys();
    flush();
    if (workerUrl && "serviceWorker" in navigator) {
      navigator.serviceWorker
        .register(workerUrl, { scope: "/" })
        .then((registration) => {
          // An up-to-date shell after each sign-in (its form token changes), once per tab.
          if (document.querySelector("[data-log-shell]") || sessionStorage.getItem("shell-kept")) {
            return;
          }
          sessionStorage.setItem("shell-kept", "1");
          registration.active?.postMessage("refresh-shell");
        })
        .catch(() => {});
    }
  }

  window.addEventListener("online", flush);
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) freshKeys(); // back to a page kept in memory: new saves, new keys
  });
  setInterval(() => waiting().then((items) => items.length && flush()), RETRY_MS);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
