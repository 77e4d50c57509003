// The morning log, made smoother: "Add another cramp" and "Remove this cramp" without a round
// trip, a Save bar that says what is still to answer, and no double saves.
// Everything here is optional: without JavaScript the same buttons work through the server.
document.addEventListener("DOMContentLoaded", () => {
  // After a refused save, the summary of what needs a look comes first, and takes the focus.
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  const form = document.getElementById("log-form");
  if (!form) return;
  const template = document.getElementById("cramp-template");
  const list = document.getElementById("cramp-forms");
  const total = form.querySelector("input[name$='-TOTAL_FORMS']");
  const maximum = Number(form.querySelector("input[name$='-MAX_NUM_FORMS']").value);

  form.querySelector("[data-add-cramp]").addEventListener("click", (event) => {
    const index = Number(total.value);
    if (index >= maximum) return; // let the server explain the limit
    event.preventDefault();
    const html = template.innerHTML.replaceAll("__prefix__", String(index));
    list.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    const added = list.lastElementChild;
    added.querySelector("input:not([type=hidden])").focus();
    updateBar();
  });

  // Remove: the cramp is hidden and marked for removal (its hidden DELETE field).
  list.addEventListener("click", (event) => {
    const remove = event.target.closest("[data-remove-cramp]");
    if (!remove) return;
    event.preventDefault();
    const card = remove.closest("[data-cramp]");
    card.querySelector("[data-cramp-removed]").value = "on";
    card.hidden = true;
    updateBar();
    form.querySelector("[data-add-cramp]").focus();
  });

  // On a cramp night the warning signs and symptoms are asked openly, under the cramps.
  const answers = form.querySelector("[data-night-answers]");
  list.addEventListener("change", () => {
    if (answers) answers.open = true;
  });

  // Minutes: a quick pick fills the number; typing a number clears the pick.
  list.addEventListener("change", (event) => {
    const pick = event.target.closest("[data-duration-pick]");
    if (!pick) return;
    const number = pick.closest("[data-duration]").querySelector("input[type=number]");
    number.value = pick.value;
  });
  list.addEventListener("input", (event) => {
    if (event.target.type !== "number") return;
    const box = event.target.closest("[data-duration]");
    if (box) box.querySelectorAll("[data-duration-pick]").forEach((pick) => (pick.checked = false));
  });

  // The Save bar (CSS keeps it at the foot of a phone's screen once a cramp is started): what is
  // still to answer; then, until the warning signs have been in view, a button that shows them;
  // then Save.
  const bar = form.querySelector("[data-save-bar]");
  const missingButton = bar.querySelector("[data-missing]");
  const checkButton = bar.querySelector("[data-check-signs]");
  const saveButton = bar.querySelector("[data-save]");
  const signs = form.querySelector("[data-warning-signs]");
  let signsSeen = false;
  let firstGap = null;
  const REQUIRED = [
    ["muscle", (card) => card.querySelector("input[name$='-muscle']:checked")],
    ["side", (card) => card.querySelector("input[name$='-side']:checked")],
    [
      "minutes",
      (card) =>
        card.querySelector("input[name$='-duration_minutes']").value.trim() ||
        card.querySelector("input[name$='-duration_pick']:checked"),
    ],
    ["severity", (card) => card.querySelector("input[name$='-severity']:checked")],
  ];
  const shownCramps = () => [...list.querySelectorAll("[data-cramp]")].filter((card) => !card.hidden);
  const started = (card) =>
    card.querySelector("input:checked") ||
    [...card.querySelectorAll("input[type=number]")].some((box) => box.value.trim());

  function updateBar() {
    const cramps = shownCramps();
    cramps.forEach((card, index) => {
      card.querySelector("[data-cramp-number]").textContent = String(index + 1);
      const remove = card.querySelector(".remove-cramp");
      if (remove) remove.hidden = cramps.length < 2;
    });
    const begun = cramps.filter(started);
    firstGap = null;
    for (const card of begun) {
      const gaps = REQUIRED.filter(([, given]) => !given(card)).map(([name]) => name);
      if (!gaps.length) continue;
      const what = gaps.map((name) => bar.dataset[`word${name[0].toUpperCase()}${name.slice(1)}`]);
      const number = card.querySelector("[data-cramp-number]").textContent;
      missingButton.textContent = bar.dataset.wordMissing
        .replace("%(number)s", number)
        .replace("%(what)s", what.join(", "));
      firstGap = card.querySelector(`input[name$='-${gaps[0] === "minutes" ? "duration_minutes" : gaps[0]}']`);
      break;
    }
    const ticked = signs && signs.querySelector("input:checked");
    const state = !begun.length ? "rest" : firstGap ? "missing" : signsSeen || ticked ? "save" : "check";
    bar.classList.toggle("save-bar-resting", state === "rest");
    missingButton.hidden = state !== "missing";
    checkButton.hidden = state !== "check";
    saveButton.hidden = state === "missing" || state === "check";
  }

  missingButton.addEventListener("click", () => {
    if (!firstGap) return;
    firstGap.closest("fieldset, .mb-3")?.scrollIntoView({ block: "center" });
    firstGap.focus({ preventScroll: true });
  });
  checkButton.addEventListener("click", () => {
    if (answers) answers.open = true;
    signs.scrollIntoView({ block: "center" });
    signs.querySelector("input").focus({ preventScroll: true });
    signsSeen = true;
    updateBar();
  });
  if (signs && "IntersectionObserver" in window) {
    const seen = new IntersectionObserver(
      (entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        signsSeen = true;
        seen.disconnect();
        updateBar();
      },
      { threshold: 0.6, rootMargin: `0px 0px -${bar.offsetHeight}px 0px` },
    );
    seen.observe(signs);
  }
  form.addEventListener("change", updateBar);
  form.addEventListener("input", updateBar);
  // offline.js empties the form after a kept save: removed cramps stay removed.
  form.addEventListener("reset", () =>
    setTimeout(() => {
      list.querySelectorAll("[data-cramp][hidden] [data-cramp-removed]").forEach((mark) => {
        mark.value = "on";
      });
      updateBar();
    }),
  );
  updateBar();

  form.addEventListener("submit", (event) => {
    if (event.submitter && event.submitter.hasAttribute("data-add-cramp")) return;
    if (form.dataset.submitted) {
      event.preventDefault();
      return;
    }
    form.dataset.submitted = "yes";
  });
});
