// wordofmouth referral snippet for storefronts that read ?ref= themselves.
// On a page opened with ?ref=KEY (or ?manager_key=KEY) it records the click with the
// tracking server and keeps the signed token it answers in the storefront's own cookie
// "wom_ref", which the storefront's backend sends with each order (referral_token).
(function () {
  var script = document.currentScript;
  var base = script ? new URL(script.src).origin : "";
  var params = new URLSearchParams(window.location.search);
  var key = params.get("ref") || params.get("manager_key");
  if (!key || !base) return;
  var url = base + "/r/" + encodeURIComponent(key) + "?format=json&to=" +
    encodeURIComponent(window.location.href);
  fetch(url, { credentials: "omit" })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (answer) {
      if (!answer || !answer.token) return;
      document.cookie = "wom_ref=" + answer.token + "; max-age=" + answer.days * 86400 +
        "; path=/; SameSite=Lax" + (location.protocol === "https:" ? "; Secure" : "");
    })
    .catch(function () { /* tracking must never break the storefront */ });
})();
