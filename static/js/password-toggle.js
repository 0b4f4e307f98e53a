// "Show password": a button after each password field of a form marked data-password-toggle,
// switching the field between hidden and plain text. The button is pressed (aria-pressed) while
// the password shows; it sits right after its field, which it names in aria-controls. Without
// JavaScript, no button.
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-password-toggle]");
  Array.prototype.forEach.call(forms, function (form) {
    var label = form.getAttribute("data-password-toggle");
    var fields = form.querySelectorAll('input[type="password"]');
    Array.prototype.forEach.call(fields, function (input) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button-secondary password-toggle";
      button.textContent = label;
      button.setAttribute("aria-pressed", "false");
      button.setAttribute("aria-controls", input.id);
      button.addEventListener("click", function () {
        var show = input.type === "password";
        input.type = show ? "text" : "password";
        button.setAttribute("aria-pressed", show ? "true" : "false");
      });
      input.insertAdjacentElement("afterend", button);
    });
    // Sent hidden: a password never travels as a text field the browser might remember.
    form.addEventListener("submit", function () {
      Array.prototype.forEach.call(fields, function (input) { input.type = "password"; });
    });
  });
})();
