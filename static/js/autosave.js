// Workshop autosave: with JavaScript on, a draft is saved a few seconds after the learner stops
// typing. The Save button keeps working without it. Nothing is ever cut: a refused save says why.
(function () {
  "use strict";
  var form = document.querySelector("form.workshop-form[data-autosave='on']");
  if (!form || !window.fetch || !window.FormData) return;
  var status = form.querySelector(".autosave-status");
  var timer = null;
  var saving = false;
  var lang = document.documentElement.lang;
  var words = lang === "fr"
    ? { saving: "Enregistrement…", saved: "Brouillon enregistré.", failed: "Pas enregistré : " }
    : { saving: "Saving…", saved: "Draft saved.", failed: "Not saved: " };

  function save() {
    if (saving) { schedule(); return; }
    saving = true;
    var data = new FormData(form);
    data.set("action", "save");
    if (status) status.textContent = words.saving;
    // Not form.action: the buttons are named "action", and a named control hides the property.
    fetch(form.getAttribute("action") || window.location.href, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      if (!status) return;
      status.textContent = result.ok ? words.saved
        : words.failed + ((result.body.errors || []).join(" "));
    }).catch(function () {
      if (status) status.textContent = words.failed;
    }).then(function () { saving = false; });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 3000);
  }

  form.addEventListener("input", schedule);
})();
