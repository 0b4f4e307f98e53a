// New learner: while the trainer types the name, the username field shows the username the
// server proposes for it (« amina.diallo », or « amina.diallo2 » when taken), as the CSV import
// does. Once the trainer edits the username, it is theirs and is left alone. Without
// JavaScript, sending the form with an empty username proposes it the same way.
(function () {
  "use strict";
  var form = document.querySelector("form[data-username-proposal]");
  if (!form || !window.fetch) return;
  var name = form.querySelector("#display_name");
  var username = form.querySelector("#username");
  if (!name || !username) return;
  var url = form.getAttribute("data-username-proposal");
  var lastProposal = "";
  var timer = null;
  var asked = 0;

  function propose() {
    var ask = ++asked;
    var text = name.value.trim();
    if (!text) return;
    fetch(url + "?name=" + encodeURIComponent(text), {
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (body) {
      // An answer to an older name, or a username the trainer typed meanwhile, is not used.
      if (!body || ask !== asked || username.value !== lastProposal) return;
      username.value = body.username || "";
      lastProposal = username.value;
    }).catch(function () { /* the form still works: the server proposes on sending */ });
  }

  // A username already there (typed, or sent back with an error) is the trainer's: kept.
  name.addEventListener("input", function () {
    if (username.value !== lastProposal) return;
    window.clearTimeout(timer);
    timer = window.setTimeout(propose, 300);
  });
})();
