// Active reading time: while the page is visible and the learner has touched, scrolled or typed
// in the last minute, tell the server every 30 seconds. An idle open tab sends nothing, so it
// never counts time. Without JavaScript, time is counted from page to page (capped) instead.
(function () {
  "use strict";
  var article = document.getElementById("reading");
  var token = document.querySelector('meta[name="csrf-token"]');
  if (!article || !token || !window.fetch) return;
  var url = article.getAttribute("data-heartbeat");
  var lastActivity = Date.now();
  ["scroll", "keydown", "pointerdown", "touchstart", "mousemove"].forEach(function (name) {
    window.addEventListener(name, function () { lastActivity = Date.now(); }, { passive: true });
  });
  window.setInterval(function () {
    if (document.visibilityState !== "visible") return;
    if (Date.now() - lastActivity > 60000) return;
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token.getAttribute("content") }
    }).catch(function () {});
  }, 30000);
})();
