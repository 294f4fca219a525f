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
  const scan = document.querySelector("[data-autofocus]");
  if (scan && document.activeElement !== scan) scan.focus();
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
