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
                theme: "theme", font: "font", ruler: "ruler", rate: "rate",
                pictures: "pictures" };
  for (var key in names) {
    var value = saved[key];
    // Only short plain values: CSS only matches the allowed ones anyway.
    if (typeof value === "string" && /^[a-z0-9.]{1,16}$/.test(value)) {
      root.setAttribute("data-rm-" + names[key], value);
    }
  }
  if (typeof saved.mode === "boolean") root.setAttribute("data-rm", saved.mode ? "on" : "off");
  root.setAttribute("data-rm-local", "1");
  // The chosen font's regular weight, fetched now rather than when the text is laid out, so that
  // the text does not change font after its first paint (the server does the same for its own
  // settings; the bold weight comes when bold text needs it).
  var script = document.currentScript;
  var fonts = null;
  try { fonts = JSON.parse((script && script.getAttribute("data-fonts")) || "null"); }
  catch (e) { fonts = null; }
  var chosen = typeof saved.font === "string" && fonts &&
    Object.prototype.hasOwnProperty.call(fonts, saved.font);
  var files = chosen && saved.mode === true ? fonts[saved.font] : null;
  if (files && files.forEach) {
    files.forEach(function (href) {
      var link = document.createElement("link");
      link.rel = "preload";
      link.as = "font";
      link.type = "font/woff2";
      link.crossOrigin = "anonymous";
      link.href = href;
      document.head.appendChild(link);
    });
  }
})();
