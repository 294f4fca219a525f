// Send the session's CSRF token with every HTMX request.
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.body.dataset.csrf;
  if (token) event.detail.headers["X-CSRF-Token"] = token;
});
// Keep the POS scan field focused after each update, so a scanner can keep typing.
document.addEventListener("htmx:afterSettle", () => {
  const scan = document.querySelector("[data-autofocus]");
  if (scan) { scan.focus(); scan.select(); }
});
// Print buttons (inline handlers are forbidden by the content security policy).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
