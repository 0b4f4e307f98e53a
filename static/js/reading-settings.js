// The reading settings page: every change shows at once in the preview (and on the whole page
// when the reading mode is on), then is saved without a click. Without JavaScript the form's
// Save button does the same with a page load.
(function () {
  "use strict";
  var form = document.getElementById("reading-settings");
  var preview = document.getElementById("rm-preview");
  var api = window.ParcoursReading;
  if (!form || !preview || !api || !window.fetch) return;
  var status = form.querySelector(".rm-save-status");
  var timer = null;

  function values() {
    var data = { complete: "1", action: "save" };
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrf_token" || el.name === "action") return;
      if (el.type === "radio") { if (el.checked) data[el.name] = el.value; }
      else if (el.type === "checkbox") { if (el.checked) data[el.name] = "on"; }
      else if (el.type === "hidden") data[el.name] = el.value;
    });
    return data;
  }

  function asPrefs(data) {
    var prefs = { mode: data.mode === "on" };
    for (var name in api.attributes) if (data[name]) prefs[name] = data[name];
    return prefs;
  }

  function show(prefs) {
    api.apply(prefs, preview);
    preview.setAttribute("data-rm", "on");
    api.apply(prefs);
  }

  function fill(prefs) {
    form.querySelector("#rm-mode").checked = !!prefs.mode;
    for (var name in api.attributes) {
      var radio = form.querySelector('input[type="radio"][name="' + name + '"][value="' + prefs[name] + '"]');
      if (radio) radio.checked = true;
    }
  }

  function say(text) { if (status) status.textContent = text; }

  function save(data) {
    window.clearTimeout(timer);
    return api.save(data).then(function (json) {
      fill(json.prefs);
      show(json.prefs);
      say(json.message);
    }).catch(function (json) {
      say((json && json.errors) ? json.errors.join(" ") : form.getAttribute("data-failed") || "");
    });
  }

  form.addEventListener("change", function () {
    var data = values();
    show(asPrefs(data));
    say("");
    window.clearTimeout(timer);
    // Arrow keys in a group of choices change it at each press: save when they stop.
    timer = window.setTimeout(function () { save(data); }, 500);
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var submitter = event.submitter;
    if (submitter && submitter.value === "preset") {
      save({ action: "preset" });
    } else {
      save(values());
    }
  });
})();
