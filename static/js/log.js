// The morning log, made smoother: "Add another cramp" without a round trip, and no double saves.
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
    added.querySelector("[data-cramp-number]").textContent = String(index + 1);
    added.querySelector("input").focus();
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

  form.addEventListener("submit", (event) => {
    if (event.submitter && event.submitter.hasAttribute("data-add-cramp")) return;
    if (form.dataset.submitted) {
      event.preventDefault();
      return;
    }
    form.dataset.submitted = "yes";
  });
});
