// An assessed quiz sent with unanswered questions: ask first, on the page, before anything is
// sent. Without JavaScript the server asks the same on a confirmation page (nothing is recorded
// until "Send anyway"); with it, the learner stays on the quiz with every answer in place.
(function () {
  "use strict";
  var form = document.querySelector("form.quiz-form[data-confirm-one]");
  if (!form) return;
  var field = document.getElementById("quiz-confirm-field");
  var panel = null;

  function answered(fieldset) {
    var controls = fieldset.querySelectorAll("input, select, textarea");
    for (var i = 0; i < controls.length; i++) {
      var c = controls[i];
      if (c.type === "hidden" || c.type === "submit") continue;
      if (c.type === "radio" || c.type === "checkbox") {
        if (c.checked) return true;
      } else if (c.value && c.value.trim()) {
        return true;
      }
    }
    return false;
  }

  function unanswered() {
    return Array.prototype.filter.call(form.querySelectorAll("fieldset.question"), function (q) {
      return !answered(q);
    });
  }

  function close() {
    if (panel) panel.remove();
    panel = null;
  }

  function button(label, className, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = className;
    b.textContent = label;
    b.addEventListener("click", onClick);
    return b;
  }

  function ask(missing) {
    close();
    var n = missing.length;
    panel = document.createElement("div");
    panel.className = "quiz-confirm";
    panel.setAttribute("role", "alert");
    panel.setAttribute("lang", form.getAttribute("data-confirm-lang"));
    var text = document.createElement("p");
    text.id = "quiz-confirm-text";
    text.tabIndex = -1;
    text.textContent = n === 1
      ? form.getAttribute("data-confirm-one")
      : form.getAttribute("data-confirm-many").replace("{n}", String(n));
    panel.appendChild(text);
    var actions = document.createElement("p");
    actions.className = "actions";
    actions.appendChild(button(form.getAttribute("data-confirm-back"), "button", function () {
      var first = missing[0];
      close();
      var control = first.querySelector("input:not([type=hidden]), select, textarea");
      first.scrollIntoView({ block: "start" });
      if (control) control.focus();
    }));
    actions.appendChild(document.createTextNode(" "));
    actions.appendChild(button(form.getAttribute("data-confirm-send"), "button button-secondary", function () {
      field.value = "send";
      close();
      form.submit();
    }));
    panel.appendChild(actions);
    // After the form, not inside it: the form carries the content's language, this is the page's.
    form.parentNode.insertBefore(panel, form.nextSibling);
    text.focus();
  }

  form.addEventListener("submit", function (event) {
    if (field.value === "send") return;
    var submitter = event.submitter;
    if (submitter && submitter.getAttribute("formaction")) return; // "Check my answer"
    var missing = unanswered();
    if (missing.length === 0) return;
    event.preventDefault();
    ask(missing);
  });
})();
