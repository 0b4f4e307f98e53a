// Reading mode before the first paint, for a reader whose settings are not on the server (signed
// out, or signed in with nothing saved yet): copy the browser's saved settings onto <html>.
// Synchronous and tiny on purpose: it runs in <head>, before the stylesheets apply.
(function () {
  "use strict";
  var root = document.documentElement;
  var from = root.getAttribute("data-rm-from");
  if (from !== "browser" && from !== "account-new") return;
  var saved;
  try { saved = JSON.parse(window.localStorage.getItem("parcours.reading") || "null"); }
  catch (e) { return; }
  if (!saved || typeof saved !== "object") return;
  var names = { size: "size", spacing: "spacing", line_height: "lh", line_length: "measure",
                theme: "theme", font: "font", ruler: "ruler", rate: "rate" };
  for (var key in names) {
    var value = saved[key];
    // Only short plain values: CSS only matches the allowed ones anyway.
    if (typeof value === "string" && /^[a-z0-9.]{1,16}$/.test(value)) {
      root.setAttribute("data-rm-" + names[key], value);
    }
  }
  if (typeof saved.mode === "boolean") root.setAttribute("data-rm", saved.mode ? "on" : "off");
  root.setAttribute("data-rm-local", "1");
})();
