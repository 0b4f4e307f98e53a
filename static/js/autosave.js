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
  // The words come from the server, in the page's language (data-msg-* on the form).
  function word(name, fallback) { return form.getAttribute("data-msg-" + name) || fallback; }
  var words = {
    saving: word("saving", "Saving…"), saved: word("saved", "Draft saved."),
    failed: word("failed", "Not saved: "),
    offline: word("offline", "No connection: your text stays here and is saved when the connection is back.")
  };
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
