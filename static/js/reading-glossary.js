// Glossary popovers: a hard word marked by the author shows its definition on hover, on focus and
// on tap; the popover stays while the pointer is over the word or the popover itself, and Escape
// closes it (WCAG 1.4.13). Without JavaScript the word is a link to the definition list. Screen
// readers already get the definition from the link's aria-describedby, so the popover is only
// visual.
(function () {
  "use strict";
  var links = document.querySelectorAll("a.gloss[aria-describedby]");
  if (!links.length) return;
  var tip = document.createElement("div");
  tip.className = "gloss-tip";
  tip.id = "gloss-tip";
  tip.hidden = true;
  tip.setAttribute("aria-hidden", "true");
  document.body.appendChild(tip);
  var current = null, hideTimer = null;

  function definitionOf(link) {
    return document.getElementById(link.getAttribute("aria-describedby"));
  }

  function place(link) {
    var rect = link.getBoundingClientRect();
    var width = tip.offsetWidth, height = tip.offsetHeight;
    var left = Math.min(Math.max(8, rect.left), document.documentElement.clientWidth - width - 8);
    var below = rect.bottom + 6;
    var y = below + height > window.innerHeight && rect.top - height - 6 > 0
      ? rect.top - height - 6 : below;
    tip.style.left = Math.max(0, left + window.scrollX) + "px";
    tip.style.top = (y + window.scrollY) + "px";
  }

  function show(link) {
    var definition = definitionOf(link);
    if (!definition) return;
    window.clearTimeout(hideTimer);
    if (current !== link) {
      tip.textContent = "";
      var term = document.createElement("p");
      term.className = "gloss-term";
      var dt = definition.previousElementSibling;
      term.textContent = dt && dt.tagName === "DT" ? dt.textContent : link.textContent;
      var text = document.createElement("p");
      text.textContent = definition.textContent;
      tip.appendChild(term);
      tip.appendChild(text);
    }
    current = link;
    tip.hidden = false;
    place(link);
  }

  function hide() {
    window.clearTimeout(hideTimer);
    tip.hidden = true;
    current = null;
  }

  function hideSoon() {
    window.clearTimeout(hideTimer);
    hideTimer = window.setTimeout(hide, 400);
  }

  links.forEach(function (link) {
    link.addEventListener("mouseenter", function () { show(link); });
    link.addEventListener("mouseleave", hideSoon);
    link.addEventListener("focus", function () { show(link); });
    link.addEventListener("blur", function () { if (current === link) hideSoon(); });
    link.addEventListener("click", function (event) {
      // A tap (or Enter) shows the definition here instead of jumping to the list.
      event.preventDefault();
      show(link);
    });
  });
  tip.addEventListener("mouseenter", function () { window.clearTimeout(hideTimer); });
  tip.addEventListener("mouseleave", hideSoon);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !tip.hidden) hide();
  });
  document.addEventListener("pointerdown", function (event) {
    if (tip.hidden) return;
    if (event.target.closest && (event.target.closest("a.gloss") || event.target.closest(".gloss-tip"))) return;
    hide();
  });
  window.addEventListener("resize", function () { if (current) place(current); });
})();
