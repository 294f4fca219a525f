// Send the session's CSRF token with every HTMX request.
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.body.dataset.csrf;
  if (token) event.detail.headers["X-CSRF-Token"] = token;
});

// The POS scan field: a barcode scanner types a code and presses Enter, possibly faster than
// the server answers. Each code is taken out of the field at once and sent in order, so the
// next scan is never lost or mixed with the previous one. Without JavaScript the form posts.
let scans = Promise.resolve();
document.addEventListener("keydown", (event) => {
  const field = event.target.closest ? event.target.closest("#scan") : null;
  if (!field || event.key !== "Enter" || !window.htmx) return;
  event.preventDefault();
  const code = field.value.trim();
  field.value = "";
  if (!code) return;
  scans = scans.then(() => {
    const state = document.getElementById("pos-state");
    return htmx.ajax("POST", "/pos/scan", {
      target: "#cart", swap: "innerHTML",
      values: { code: code, sale_id: state ? state.dataset.saleId : "" },
    });
  }).catch(() => undefined);
});

// After each update, give the keyboard back to the scan field.
document.addEventListener("htmx:afterSettle", () => {
  const scan = document.querySelector("[data-autofocus-first]")
    || document.querySelector("[data-autofocus]");
  if (scan && document.activeElement !== scan) scan.focus();
});

// Receipt paper (58 mm, 80 mm, A4): the receipt is laid out and printed for the paper chosen;
// the till remembers it.
function choosePaper(paper) {
  const receipt = document.getElementById("receipt");
  if (!receipt || !paper) return;
  receipt.dataset.paper = paper;
  document.querySelectorAll("[data-paper]").forEach((b) => {
    if (b.tagName === "BUTTON") b.setAttribute("aria-pressed", String(b.dataset.paper === paper));
  });
}
document.addEventListener("DOMContentLoaded", () => choosePaper(localStorage.getItem("wom-paper") || "80"));
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-paper]");
  if (!button) return;
  localStorage.setItem("wom-paper", button.dataset.paper);
  choosePaper(button.dataset.paper);
});

// Print buttons (inline handlers are forbidden by the content security policy).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});

// "Select the page" boxes tick every box of the same name.
document.addEventListener("change", (event) => {
  const all = event.target.closest("[data-check-all]");
  if (!all) return;
  document.querySelectorAll(`input[type=checkbox][name="${all.dataset.checkAll}"]`)
    .forEach((box) => { box.checked = all.checked; });
});

// The till's keys (shown on screen): F2 pay, F3 cash, F4 card, F6 bonuses, F7 exact amount,
// F8 void, F9 new sale, Esc back to the scan field.
function money(value) {
  const n = Number(String(value || "0").replace(",", ".").replace(/\s/g, ""));
  return Number.isFinite(n) ? n : 0;
}
function exactAmount() {
  const form = document.getElementById("pay-form");
  const cash = document.getElementById("pay-cash");
  if (!form || !cash) return;
  const other = ["pay-card", "pay-bonus"].map((id) => document.getElementById(id))
    .reduce((sum, field) => sum + (field ? money(field.value) : 0), 0);
  cash.value = Math.max(0, money(form.dataset.due) - other).toFixed(2);
  cash.focus();
}
document.addEventListener("click", (event) => {
  if (event.target.closest("#pay-exact")) exactAmount();
});
function focusField(id) {
  const field = document.getElementById(id);
  if (field) { field.focus(); field.select(); }
}
const TILL_KEYS = {
  F2: () => document.getElementById("pay")?.click(),
  F3: () => focusField("pay-cash"),
  F4: () => focusField("pay-card"),
  F6: () => focusField("pay-bonus"),
  F7: exactAmount,
  F8: () => document.getElementById("void")?.click(),
  F9: () => { if (document.getElementById("pos-state")) window.location.assign("/pos"); },
  Escape: () => document.getElementById("scan")?.focus(),
};
document.addEventListener("keydown", (event) => {
  const act = document.getElementById("pos-state") ? TILL_KEYS[event.key] : null;
  if (!act) return;
  event.preventDefault();
  act();
});

// Forms that ask first (payouts, overrides, bulk decisions, voids) when posted without HTMX.
// "{amount}" in the question reads the form's amount as typed.
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form");
  const asker = event.submitter && event.submitter.dataset.confirm ? event.submitter
    : (form && form.dataset.confirm ? form : null);
  if (!asker || form.hasAttribute("hx-post")) return;
  const amount = form.querySelector("input[name=amount]");
  const question = asker.dataset.confirm.replace("{amount}", amount ? amount.value : "");
  if (!window.confirm(question)) event.preventDefault();
});

// "Copy" buttons copy the text of the field they name, and say so.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copy);
  if (!field) return;
  try {
    await navigator.clipboard.writeText(field.value || field.textContent);
  } catch {
    field.select();
    document.execCommand("copy");
  }
  const done = document.getElementById(`${button.id}-done`);
  if (done) done.hidden = false;
});

// A choice that follows another (an employee follows the chosen partner): only the options
// of the chosen one are offered.
function follow(select) {
  const leader = select.form && select.form.elements[select.dataset.follows];
  if (!leader) return;
  for (const option of select.options) {
    if (!option.dataset.partner) continue;
    const other = option.dataset.partner !== leader.value;
    option.hidden = other;
    option.disabled = other;
    if (other && option.selected) select.value = "";
  }
}
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("select[data-follows]").forEach(follow);
});
document.addEventListener("change", (event) => {
  const form = event.target.form;
  if (!form) return;
  form.querySelectorAll(`select[data-follows="${event.target.name}"]`).forEach(follow);
});

// Back-office forms validate inline: the form is sent in the background; a refusal is shown
// next to the field it names (or atop the form) and everything typed stays; success goes
// where the server sends the reader. Without JavaScript the forms post as always.
function clearProblems(form) {
  form.querySelectorAll(".field-error, .form-error").forEach((e) => e.remove());
  form.querySelectorAll("[aria-invalid]").forEach((e) => e.removeAttribute("aria-invalid"));
}
function showProblem(form, answer) {
  const field = answer.field ? form.elements[answer.field] : null;
  const note = document.createElement("span");
  note.setAttribute("role", "alert");
  note.textContent = answer.detail || document.body.dataset.msgUnsaved;
  if (field && field.nodeType === 1) {
    note.className = "field-error";
    field.setAttribute("aria-invalid", "true");
    (field.closest("label") || field).after(note);
    field.focus();
  } else {
    note.className = "form-error flash error";
    form.prepend(note);
  }
}
document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (event.defaultPrevented || !(form instanceof HTMLFormElement)) return;
  // attributes, not properties: a field named "action" or "method" hides the property
  const attr = (name) => form.getAttribute(name) || "";
  if (attr("method").toLowerCase() !== "post" || form.hasAttribute("hx-post")
      || form.hasAttribute("data-plain") || attr("enctype") === "multipart/form-data"
      || attr("target") || !window.fetch || !document.body.dataset.csrf) return;
  event.preventDefault();
  clearProblems(form);
  const body = new URLSearchParams(new FormData(form, event.submitter));
  let response;
  try {
    const submitter = event.submitter;
    const action = submitter && submitter.hasAttribute("formaction")
      ? submitter.getAttribute("formaction") : attr("action");
    response = await fetch(new URL(action, window.location.href), {
      method: "POST", body, headers: { Accept: "application/json" },
    });
  } catch {
    showProblem(form, { detail: document.body.dataset.msgUnreachable });
    return;
  }
  const type = response.headers.get("content-type") || "";
  if (!response.ok && type.includes("application/json")) {
    showProblem(form, await response.json());
  } else if (response.redirected) {
    window.location.assign(response.url);
  } else if (type.includes("text/html")) {
    // a page answered in place (not a redirect): shown without running this script twice
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    document.title = page.title;
    document.body.replaceWith(page.body);
    if (window.htmx) window.htmx.process(document.body);
  } else {
    window.location.reload();
  }
});

// The menu button (a phone's screen): fold the menu out and back.
document.addEventListener("click", (event) => {
  const toggle = event.target.closest("#menu-toggle");
  if (!toggle) return;
  const top = document.getElementById("top");
  const open = !top.hasAttribute("data-open");
  top.toggleAttribute("data-open", open);
  toggle.setAttribute("aria-expanded", String(open));
});
