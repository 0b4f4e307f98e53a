// Reading settings in the browser: the header's one-step switch without reloading the page, and
// a small API the other reading scripts use to read, apply and save settings. Saved on the
// account when signed in (the server answers with what it kept), else in the session and in
// this browser (localStorage), which reading-boot.js applies before the next first paint.
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "parcours.reading";
  var ATTRS = { size: "data-rm-size", spacing: "data-rm-spacing", line_height: "data-rm-lh",
                line_length: "data-rm-measure", theme: "data-rm-theme", font: "data-rm-font",
                syllables: "data-rm-syllables", ruler: "data-rm-ruler", rate: "data-rm-rate",
                pictures: "data-rm-pictures" };
  var token = document.querySelector('meta[name="csrf-token"]');
  var settingsLink = document.querySelector(".rm-settings-link");
  var switchForm = document.querySelector(".rm-switch-form");
  var settingsUrl = settingsLink ? settingsLink.getAttribute("href").split("?")[0] : "/reading";

  function signedIn() { return (root.getAttribute("data-rm-from") || "").indexOf("account") === 0; }

  function current() {
    var prefs = { mode: root.getAttribute("data-rm") === "on" };
    for (var name in ATTRS) prefs[name] = root.getAttribute(ATTRS[name]);
    return prefs;
  }

  function apply(prefs, element) {
    var target = element || root;
    if (typeof prefs.mode === "boolean") target.setAttribute("data-rm", prefs.mode ? "on" : "off");
    for (var name in ATTRS) {
      if (typeof prefs[name] === "string") target.setAttribute(ATTRS[name], prefs[name]);
    }
    if (!element && switchForm) {
      var on = root.getAttribute("data-rm") === "on";
      switchForm.querySelector("button").setAttribute("aria-pressed", on ? "true" : "false");
      switchForm.querySelector('input[name="mode"]').value = on ? "off" : "on";
    }
  }

  function remember(prefs) {
    if (signedIn()) return;  // an account's settings are not left behind on a shared device
    try { window.localStorage.setItem(KEY, JSON.stringify(prefs)); } catch (e) { /* private mode */ }
  }

  function post(url, data) {
    var body = new FormData();
    for (var name in data) {
      if (data[name] !== null && data[name] !== undefined) {
        body.append(name, typeof data[name] === "boolean" ? (data[name] ? "on" : "off") : data[name]);
      }
    }
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": token ? token.content : "" }
    }).then(function (response) {
      return response.json().then(function (json) {
        if (!response.ok) throw json;
        return json;
      });
    });
  }

  // Save some settings (a partial update), apply what the server kept, and return it.
  function save(data, url) {
    return post(url || settingsUrl, data).then(function (json) {
      apply(json.prefs);
      remember(json.prefs);
      return json;
    });
  }

  window.ParcoursReading = { current: current, apply: apply, save: save, post: post,
                             remember: remember, settingsUrl: settingsUrl, attributes: ATTRS };

  // The server may not know the browser's copy: make the switch show the mode really shown.
  apply({ mode: root.getAttribute("data-rm") === "on" });

  if (root.getAttribute("data-rm-from") === "session") remember(current());
  // Signed in for the first time on this device with nothing saved yet: keep what this browser
  // had, so the reader does not lose the reading mode they set up before signing in.
  if (root.getAttribute("data-rm-from") === "account-new" && root.getAttribute("data-rm-local")) {
    save(current()).then(function () { root.setAttribute("data-rm-from", "account"); })
      .catch(function () {});
  }

  if (switchForm && window.fetch && window.FormData) {
    switchForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var before = current();
      var on = !before.mode;
      apply({ mode: on });
      save({ mode: on }, switchForm.action).then(function (json) {
        // Syllables are marked by the server: show or hide them with a fresh page.
        if (json.prefs.syllables !== "off" && document.querySelector("[data-syllable-text]")) {
          window.location.reload();
        }
      }).catch(function () {
        apply(before);
        switchForm.submit();  // let the server do it the plain way
      });
    });
  }
})();
