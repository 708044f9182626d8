// Forms on a phone: after a refusal the error summary takes the focus (and its links the
// field's), free times are picked day by day, attachments are checked for size and type before
// anything is sent, and what was typed survives a body too large for the server to read.
// base.html loads it on every page, so that any refused form (an error summary, or the alert of
// form_alert) puts the focus on what went wrong; the rest acts only on the markup that asks for it.

function focusSummary() {
  const summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    if (!link) return;
    const target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) return;
    event.preventDefault();
    const details = target.closest("details");
    if (details) details.open = true;
    const field = target.matches("input, select, textarea, button")
      ? target : target.querySelector("input, select, textarea");
    target.scrollIntoView({ block: "center" });
    (field || target).focus({ preventScroll: true });
  });
}

function dayPicker(picker) {
  const show = (day) => {
    for (const set of picker.querySelectorAll("fieldset[data-day]")) set.hidden = set.dataset.day !== day;
    for (const chip of picker.querySelectorAll("a[data-day]")) {
      if (chip.dataset.day === day) chip.setAttribute("aria-current", "true");
      else chip.removeAttribute("aria-current");
    }
  };
  picker.addEventListener("click", (event) => {
    const chip = event.target.closest("a[data-day]");
    if (!chip) return;
    event.preventDefault();  // switch in place: nothing typed below is lost
    show(chip.dataset.day);
    picker.querySelector(`fieldset[data-day="${chip.dataset.day}"] input`)?.focus();
  });
}

function uploadProblem(input) {
  const files = [...(input.files || [])];
  const maxBytes = Number(input.dataset.maxBytes || 0);
  const maxCount = Number(input.dataset.maxCount || 0);
  const maxTotal = Number(input.dataset.maxTotal || 0);
  const accepted = (input.accept || "").split(",").map((t) => t.trim()).filter(Boolean);
  if (maxCount && files.length > maxCount) return input.dataset.msgCount;
  for (const file of files) {
    if (accepted.length && !accepted.includes(file.type)) {
      return (input.dataset.msgType || "").replace("{name}", file.name);
    }
    if (maxBytes && file.size > maxBytes) return (input.dataset.msgSize || "").replace("{name}", file.name);
  }
  const total = files.reduce((sum, f) => sum + f.size, 0);
  if (maxTotal && total > maxTotal) return input.dataset.msgTotal;
  return "";
}

function checkUploads(form) {
  const inputs = [...form.querySelectorAll("input[type=file][data-max-bytes]")];
  const show = (input) => {
    const problem = uploadProblem(input);
    const box = form.querySelector("[data-upload-error]");
    if (box) {
      box.textContent = problem;
      box.hidden = !problem;
    }
    input.setAttribute("aria-invalid", problem ? "true" : "false");
    return problem;
  };
  for (const input of inputs) input.addEventListener("change", () => show(input));
  form.addEventListener("submit", (event) => {
    for (const input of inputs) {
      if (show(input)) {
        event.preventDefault();
        event.stopImmediatePropagation();
        input.focus();
        return;
      }
    }
  });
}

function keepTyped(form) {
  const key = `typed:${form.dataset.keepTyped}`;
  const fields = () => [...form.elements].filter((el) => el.name && el.name !== "csrf_token"
    && el.type !== "file" && el.type !== "hidden");
  if (form.hasAttribute("data-restore")) {
    try {
      const saved = JSON.parse(sessionStorage.getItem(key) || "{}");
      for (const el of fields()) {
        if (!(el.name in saved)) continue;
        if (el.type === "radio") el.checked = saved[el.name] === el.value;
        else if (el.type === "checkbox") el.checked = saved[el.name] === true;
        else el.value = saved[el.name];
      }
      const chosen = form.querySelector("input[name=slot]:checked");
      const day = chosen?.closest("fieldset[data-day]")?.dataset.day;
      if (day) form.querySelector(`a[data-day="${day}"]`)?.click();
    } catch (error) {
      // Nothing kept (private mode, old browser): the form stays as the server sent it.
    }
  }
  form.addEventListener("submit", () => {
    const saved = {};
    for (const el of fields()) {
      if (el.type === "radio") { if (el.checked) saved[el.name] = el.value; }
      else if (el.type === "checkbox") saved[el.name] = el.checked;
      else saved[el.name] = el.value;
    }
    try { sessionStorage.setItem(key, JSON.stringify(saved)); } catch (error) { /* full */ }
  });
}

for (const picker of document.querySelectorAll("[data-slot-picker]")) dayPicker(picker);
for (const form of document.querySelectorAll("form")) {
  if (form.querySelector("input[type=file][data-max-bytes]")) checkUploads(form);
  if (form.dataset.keepTyped) keepTyped(form);
}
focusSummary();
