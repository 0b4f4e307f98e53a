// Autosave of a form marked data-autosave="on" (a workshop's worksheet, a tutor's assessment):
// with JavaScript on, a draft is saved a few seconds after the person stops typing. The Save
// button keeps working without it. Nothing is ever cut: a refused save says why. Without a
// connection the text stays in the page and is saved when the connection comes back.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave='on']");
  if (!form || !window.fetch || !window.FormData) return;
  var status = form.querySelector(".autosave-status");
  var timer = null;
  var saving = false;
  var lang = document.documentElement.lang;
  var words = lang === "fr"
    ? { saving: "Enregistrement…", saved: "Brouillon enregistré.", failed: "Pas enregistré : ",
        offline: "Pas de connexion : votre texte reste ici, il sera enregistré au retour de la connexion." }
    : { saving: "Saving…", saved: "Draft saved.", failed: "Not saved: ",
        offline: "No connection: your text stays here and is saved when the connection is back." };
  var pending = false;

  function save() {
    if (saving) { schedule(); return; }
    saving = true;
    var data = new FormData(form);
    data.set("action", form.getAttribute("data-autosave-action") || "save");
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
      pending = false;
      if (!status) return;
      status.textContent = result.ok ? words.saved
        : words.failed + ((result.body.errors || []).join(" "));
    }).catch(function () {
      pending = true;
      if (status) status.textContent = words.offline;
    }).then(function () { saving = false; });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 3000);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  window.addEventListener("online", function () { if (pending) save(); });
})();
