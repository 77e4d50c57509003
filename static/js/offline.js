// The morning log without a signal, each night sent exactly once, and only for whoever typed it.
//
// - Registers the service worker (patients only; /sw.js keeps the app shell, never diary pages)
//   and asks it, on each page load, to keep the shell for this page's account and session.
// - Both log forms ("No cramps" and the full log) are sent from here. When the request cannot
//   reach the server, the save is kept in this browser's IndexedDB, sealed with a key only this
//   account's pages get (data-seal), and sent again on page load, when the browser comes back
//   online, and every 30 seconds. The tab that typed it shows what it kept; other tabs say only
//   that a night is kept. Typing the same night again replaces the kept one.
// - A kept night belongs to the session that typed it (diary/services/outbox.py): the form's signed
//   owner token goes with it, and the server refuses (409) one that does not name the signed-in
//   session. A night whose session has ended is never sent by itself: its owner, signed in
//   again, is asked "send it / discard it"; another account only learns that one is kept.
// - Every save carries the idempotency key of its form (a fresh UUID for each form shown). The
//   server saves a key once and answers a repeat like the first, so a save that did arrive but
//   whose answer was lost is never written twice, nor over a later change.
// - A page with no session, or another account's, deletes what the one before left readable
//   (the kept shell, this tab's copy of what it typed); sealed unsent nights stay for their owner.
// - Signing out first tries to send what is kept, then says what the diary has not confirmed.
// Without JavaScript the forms post as they always did, with the key and token the server put in.
(() => {
  const script = document.currentScript;
  const data = script?.dataset || {};
  const account = data.account || "";
  const session = data.session || "";
  const owner = account ? `${account}-${session}` : ""; // the shell cache's name ends with it
  const workerUrl = data.serviceWorker;
  const shellUrl = data.shell || "/log/offline/";
  const dateNames = JSON.parse(data.dateNames || "{}");
  const say = (text, values = {}) => (text || "").replace(/%\((\w+)\)s/g, (_, k) => values[k]);
  const DB_NAME = "night-cramp-diary";
  const STORE = "outbox";
  const TAB = "night-cramp-diary-typed"; // sessionStorage: what this tab typed, readable
  const SAVED = /^\/log\/\d{4}-\d{2}-\d{2}\/saved\/$/;
  const NIGHT = /\d{4}-\d{2}-\d{2}/;
  const RETRY_MS = 30000;
  const banner = document.getElementById("offline-banner");
  const keptPage = Boolean(banner && !banner.hidden); // served by the worker, without a signal
  const sent = [];
  let signInNeeded = false;
  let changing = false; // "Change it": the form is shown again under what is kept
  let flushing = null;

  // Dates as the server writes them ("l j F", "j M"), with its words for the page's language.
  function formatDate(iso, pattern) {
    const [year, month, day] = iso.split("-").map(Number);
    const when = new Date(Date.UTC(year, month - 1, day));
    const parts = {
      l: dateNames.l?.[(when.getUTCDay() + 6) % 7],
      F: dateNames.F?.[month - 1],
      M: dateNames.M?.[month - 1],
      j: String(day),
    };
    return pattern.replace(/[lFMj]/g, (letter) => parts[letter]);
  }
  const nightLabel = (iso) => formatDate(iso, "l j F");
  function typedOn(created) {
    const when = new Date(created);
    const pad = (number) => String(number).padStart(2, "0");
    const iso = `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())}`;
    return formatDate(iso, "j M");
  }

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

  // Sealing: AES-GCM with this account's key, so another account's page cannot read a night.
  let sealKey = null;
  function theKey() {
    if (!sealKey) {
      const text = data.seal.replace(/-/g, "+").replace(/_/g, "/");
      const raw = Uint8Array.from(atob(text + "=".repeat((4 - (text.length % 4)) % 4)), (c) =>
        c.charCodeAt(0),
      );
      sealKey = crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
    }
    return sealKey;
  }

  async function seal(contents) {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const plain = new TextEncoder().encode(JSON.stringify(contents));
    const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await theKey(), plain);
    return { iv, data: new Uint8Array(sealed) };
  }

  // What a kept night holds ({action, body, night, what}), or null when it is not this account's.
  async function unseal(item) {
    if (item.account !== account || !data.seal) return null;
    if (!item.sealed) {
      // Kept before nights were sealed.
      const what = item.kind === "no-cramps" ? data.wordNoCramps : data.wordLog;
      return { action: item.action, body: item.body, night: item.night, what };
    }
    try {
      const { iv, data: sealed } = item.sealed;
      const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv }, await theKey(), sealed);
      return JSON.parse(new TextDecoder().decode(plain));
    } catch {
      return null;
    }
  }

  // What this tab typed, readable, for as long as the tab lives, and only under this sign-in.
  function typedHere() {
    try {
      const kept = JSON.parse(sessionStorage.getItem(TAB) || "null");
      return kept && kept.owner === owner ? kept.nights : {};
    } catch {
      return {};
    }
  }

  function typedHereSet(nights) {
    try {
      sessionStorage.setItem(TAB, JSON.stringify({ owner, nights }));
    } catch {
      // no storage: the kept night is shown as a line without contents
    }
  }

  // The owner of a kept night is the session that typed it.
  const isMine = (item) => item.account === account && item.session === session && !item.ended;
  const isOwnersEarlier = (item) => item.account === account && !isMine(item);

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

  // The shell page was kept from an earlier day: it logs last night as of now, or the night in
  // its address (/log/2026-12-01/) when that is an earlier one.
  function setShellNight() {
    const shell = document.querySelector("[data-log-shell]");
    if (!shell) return;
    const latest = lastNight(shell.dataset.timeZone);
    const asked = window.location.pathname.match(/^\/log\/(\d{4}-\d{2}-\d{2})\/$/)?.[1];
    const night = asked && asked < latest ? asked : latest;
    for (const form of shell.querySelectorAll("[data-offline-form]")) {
      form.action = form.getAttribute("action").replace(NIGHT, night);
    }
    const lead = shell.querySelector("[data-night-lead]");
    if (lead) {
      lead.textContent = lead.textContent.replace(shell.dataset.nightShown, nightLabel(night));
    }
    shell.dataset.night = night;
  }

  // "1 cramp, 6/10" (the worst), or "no cramps".
  function describe(body, kind) {
    if (kind === "no-cramps") return data.wordNoCramps;
    const total = Number(body.get("cramps-TOTAL_FORMS") || 0);
    let count = 0;
    let worst = 0;
    for (let index = 0; index < total; index += 1) {
      const field = (name) => body.get(`cramps-${index}-${name}`);
      if (field("DELETE") || !(field("muscle") || field("severity"))) continue;
      count += 1;
      worst = Math.max(worst, Number(field("severity") || 0));
    }
    if (!count) return data.wordNoCramps; // answers alone: a night without cramps
    const cramps = say(count === 1 ? data.wordCrampOne : data.wordCrampMany, { count });
    return worst ? `${cramps}, ${say(data.wordWorst, { worst })}` : cramps;
  }

  function showBanner(offline) {
    if (banner) banner.hidden = !offline && !keptPage;
  }

  // What is kept, at the top of the page.
  function box() {
    let section = document.getElementById("offline-outbox");
    if (!section) {
      section = document.createElement("section");
      section.id = "offline-outbox";
      section.setAttribute("role", "status");
      section.setAttribute("aria-live", "polite");
      section.tabIndex = -1;
      (banner || document.getElementById("main")?.firstChild)?.after(section);
    }
    return section;
  }

  function paragraph(parent, text, className = "mb-1") {
    const line = document.createElement("p");
    line.className = className;
    line.textContent = text;
    parent.append(line);
    return line;
  }

  function button(text, action) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = "btn btn-link p-0 align-baseline";
    element.textContent = text;
    element.addEventListener("click", action);
    return element;
  }

  async function show() {
    if (!data.wordKept) return; // not a patient's page
    let items = [];
    try {
      items = await waiting();
    } catch {
      return;
    }
    const here = typedHere();
    const mine = items.filter(isMine);
    const earlier = items.filter(isOwnersEarlier);
    const others = items.filter((item) => item.account !== account);
    // Drawn apart, then put in at once: two calls at a time never draw a night twice.
    const section = document.createElement("div");
    const page = document.querySelector("[data-log-page]");
    let hidePage = false;
    for (const item of mine.filter((one) => !one.problem)) {
      const typed = here[item.key];
      const block = document.createElement("div");
      block.className = "alert alert-warning py-2 mb-2";
      if (!typed) {
        paragraph(block, data.wordKeptElsewhere);
      } else {
        paragraph(block, say(data.wordKept, { what: typed.what }), "mb-1 fw-semibold");
        const entry = paragraph(block, say(data.wordKeptEntry, typed), "mb-0");
        entry.dataset.keptEntry = "";
        entry.append(
          " ",
          button(data.wordChange, () => {
            changing = true;
            show().then(() => page?.scrollIntoView());
          }),
          " · ",
          button(data.wordDiscard, () => discard(item.key)),
        );
        if (typed.replaced) paragraph(block, data.wordReplaced, "mb-0 mt-1");
        if (page && page.dataset.night === typed.nightIso && !changing) hidePage = true;
      }
      if (signInNeeded) paragraph(block, data.wordSignIn, "mb-0");
      section.append(block);
    }
    for (const item of mine.filter((one) => one.problem)) {
      const contents = await unseal(item);
      if (!contents) continue;
      const line = paragraph(section, "", "alert alert-danger py-2 mb-2");
      const night = nightLabel(contents.night);
      line.textContent = say(data.wordRefused, { night, what: contents.what });
      const open = document.createElement("a");
      open.className = "alert-link";
      open.href = `/log/${contents.night}/`;
      open.textContent = data.wordOpen;
      line.append(open, ". ", button(data.wordDiscard, () => discard(item.key)));
    }
    for (const item of earlier) {
      const line = paragraph(section, say(data.wordOwner, { day: typedOn(item.created) }));
      line.className = "alert alert-info py-2 mb-2";
      line.dataset.ownerPrompt = "";
      line.append(
        " ",
        button(data.wordSendIt, () => sendAgain(item)),
        " / ",
        button(data.wordDiscardIt, () => discard(item.key)),
      );
    }
    if (others.length) {
      const words = others.length === 1 ? data.wordOtherOne : data.wordOtherMany;
      paragraph(section, say(words, { count: others.length }), "alert alert-secondary py-2 mb-2");
    }
    for (const night of sent) {
      const words = say(data.wordSent, { night: nightLabel(night) });
      paragraph(section, words, "alert alert-success py-2 mb-2");
    }
    const outbox = box();
    outbox.replaceChildren(...section.childNodes);
    outbox.hidden = !outbox.childElementCount;
    outbox.classList.add("narrow");
    if (page) page.hidden = hidePage;
  }

  async function discard(key) {
    await forget(key);
    const here = typedHere();
    delete here[key];
    typedHereSet(here);
    changing = false;
    await show();
  }

  function isSaved(response) {
    return response.ok && response.redirected && SAVED.test(new URL(response.url).pathname);
  }

  function post(action, body) {
    return fetch(action, { method: "POST", body, credentials: "same-origin" });
  }

  // Who the server says is signed in now, with a form token and an owner token for this session;
  // null when signed out. Throws without a connection.
  async function signedInNow() {
    const response = await fetch(shellUrl, { cache: "no-store", credentials: "same-origin" });
    if (!response.ok || new URL(response.url).pathname !== shellUrl) return null;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const about = page.querySelector("script[data-account]")?.dataset || {};
    const csrf = page.querySelector("input[name=csrfmiddlewaretoken]")?.value;
    if (!about.account || !csrf) return null;
    return { account: about.account, session: about.session, owner: about.owner, csrf };
  }

  // Sends what this session kept. Returns the saved page of the last night this tab typed.
  async function sendWaiting() {
    const items = (await waiting()).filter((item) => isMine(item) && !item.problem);
    if (!items.length) return null;
    let now;
    try {
      now = await signedInNow();
    } catch {
      showBanner(true);
      return null; // still no connection
    }
    showBanner(false);
    signInNeeded = now === null;
    if (!now || now.account !== account) return null; // this page is another sign-in's
    if (now.session !== session) {
      // The session that typed them has ended: only their owner, asked, sends them.
      for (const item of items) await keep({ ...item, ended: true });
      return null;
    }
    const here = typedHere();
    let savedPage = null;
    for (const item of items.sort((a, b) => a.created - b.created)) {
      const contents = await unseal(item);
      if (!contents) continue;
      const body = new URLSearchParams(contents.body);
      body.set("csrfmiddlewaretoken", now.csrf);
      let response;
      try {
        response = await post(contents.action, body);
      } catch {
        return savedPage; // the connection went again: the rest wait
      }
      if (isSaved(response)) {
        await forget(item.key);
        if (here[item.key]) savedPage = response.url;
        else sent.push(contents.night);
        delete here[item.key];
        typedHereSet(here);
      } else if (response.status === 409) {
        await keep({ ...item, ended: true }); // not this session's any more: its owner decides
      } else if (response.status >= 500) {
        return savedPage; // the server's trouble: try again later
      } else if (response.redirected && !NIGHT.test(new URL(response.url).pathname)) {
        signInNeeded = true; // sent to the sign-in page
        return savedPage;
      } else {
        // The server answered with a page (a question, or a refusal): the patient decides.
        await keep({ ...item, problem: true });
      }
    }
    return savedPage;
  }

  function flush({ navigate = true } = {}) {
    if (!account) return Promise.resolve();
    if (!flushing) {
      flushing = sendWaiting()
        .then((savedPage) => {
          // The night this tab typed is in the diary: its "Saved ✓" page, as after any save.
          if (savedPage && navigate) window.location.assign(savedPage);
        })
        .catch(() => {})
        .finally(async () => {
          flushing = null;
          await show();
          // For whoever watches (the browser tests): this page has looked at what is kept.
          const root = document.documentElement;
          root.dataset.outboxChecked = String(Number(root.dataset.outboxChecked || 0) + 1);
        });
    }
    return flushing;
  }

  // "Send it": a night its owner typed under an earlier session, sent with this session's token
  // and the one it was typed under (the server checks that both name this account).
  async function sendAgain(item) {
    let now;
    try {
      now = await signedInNow();
    } catch {
      showBanner(true);
      return;
    }
    const contents = await unseal(item);
    if (!now || now.account !== account || !contents) return;
    const body = new URLSearchParams(contents.body);
    body.set("csrfmiddlewaretoken", now.csrf);
    body.set("owner", now.owner);
    if (item.owner) body.set("typed_by", item.owner);
    let response;
    try {
      response = await post(contents.action, body);
    } catch {
      showBanner(true);
      return;
    }
    if (isSaved(response)) {
      await forget(item.key);
      window.location.assign(response.url);
    } else if (response.status !== 409 && response.status < 500) {
      await keep({ ...item, session, ended: false, problem: true });
      await show();
    }
  }

  // Keeps a save made without a connection: one per night, the latest typing replacing others.
  async function keepSave(item, contents) {
    let replaced = false;
    for (const other of await waiting()) {
      if (other.account !== account) continue;
      const earlier = await unseal(other);
      if (earlier && earlier.night === contents.night) {
        await forget(other.key);
        replaced = true;
      }
    }
    await keep({ ...item, sealed: await seal(contents) });
    const here = typedHere();
    for (const key of Object.keys(here)) {
      if (here[key].nightIso === contents.night) delete here[key];
    }
    here[item.key] = {
      night: nightLabel(contents.night),
      nightIso: contents.night,
      what: contents.what,
      replaced,
    };
    typedHereSet(here);
  }

  async function submitLog(event) {
    const form = event.target;
    if (event.submitter?.hasAttribute("data-add-cramp")) return; // log.js, or the server
    event.preventDefault();
    const body = new URLSearchParams(new FormData(form, event.submitter));
    if (!body.get("idempotency_key")) body.set("idempotency_key", newKey());
    const kind = form.dataset.offlineForm;
    const night = form.action.match(NIGHT)?.[0];
    const item = {
      key: body.get("idempotency_key"),
      account,
      session,
      owner: body.get("owner") || "",
      created: Date.now(),
    };
    let response;
    try {
      response = await post(form.action, body);
    } catch {
      // No connection (or no answer): kept, sealed, with its key, until it can be sent.
      showBanner(true);
      try {
        const what = describe(body, kind);
        await keepSave(item, { action: form.action, body: body.toString(), night, what });
      } catch {
        delete form.dataset.submitted;
        return; // no storage to keep it in: the form keeps what was typed
      }
      if (kind === "log") form.reset();
      freshKeys();
      delete form.dataset.submitted; // log.js: a new save may follow
      changing = false;
      await show();
      box().focus();
      window.scrollTo(0, 0);
      return;
    }
    if (isSaved(response)) {
      window.location.assign(response.url);
      return;
    }
    // Anything else (errors to fix, a question to answer, a refusal): the server's own page, as
    // without JavaScript. Nothing was saved, so the key is still unused.
    HTMLFormElement.prototype.submit.call(form);
  }

  async function signOut(event) {
    const form = event.target;
    event.preventDefault();
    try {
      await flush({ navigate: false }); // with a connection, the diary confirms what it has
      const unsent = (await waiting()).filter((item) => item.account === account);
      const words = unsent.length === 1 ? data.wordUnsentOne : data.wordUnsentMany;
      if (unsent.length && !window.confirm(say(words, { count: unsent.length }))) return;
      for (const item of unsent) await forget(item.key);
    } catch {
      // nothing kept, or no storage: sign out all the same
    }
    try {
      sessionStorage.removeItem(TAB);
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

  // A page with no session, or another sign-in's: what the one before left readable goes.
  async function forgetOtherSignIns() {
    try {
      const kept = JSON.parse(sessionStorage.getItem(TAB) || "null");
      if (kept && kept.owner !== owner) sessionStorage.removeItem(TAB);
    } catch {
      // no storage
    }
    if (keptPage || !window.caches) return; // the kept shell itself is this sign-in's
    for (const name of await caches.keys()) {
      if (name.startsWith("shell-") && (!owner || !name.endsWith(`-${owner}`))) {
        await caches.delete(name);
      }
    }
  }

  document.addEventListener("submit", (event) => {
    if (event.defaultPrevented) return; // log.js stopped a second tap
    if (!account) return;
    if (event.target.matches("[data-offline-form]")) submitLog(event);
    else if (event.target.matches("[data-sign-out]")) signOut(event);
  });

  function start() {
    const tidy = forgetOtherSignIns().catch(() => {});
    if (!account) {
      // Signed out: the worker drops what it keeps, once any shell it is still fetching is in.
      tidy.then(() => navigator.serviceWorker?.controller?.postMessage({ keepFor: "" }));
      return;
    }
    setShellNight();
    freshKeys();
    flush();
    if (keptPage || !workerUrl || !("serviceWorker" in navigator)) return;
    navigator.serviceWorker
      .register(workerUrl, { scope: "/" })
      .then(() => Promise.all([navigator.serviceWorker.ready, tidy]))
      .then(([registration]) => registration.active?.postMessage({ keepFor: owner }))
      .catch(() => {});
  }

  window.addEventListener("online", () => {
    showBanner(false);
    flush();
  });
  window.addEventListener("offline", () => showBanner(true));
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) freshKeys(); // back to a page kept in memory: new saves, new keys
  });
  setInterval(() => {
    if (account) waiting().then((items) => items.some(isMine) && flush());
  }, RETRY_MS);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
