// Reading ruler (line focus): dims the page except 1, 3 or 5 lines of text. The arrow keys move
// it a line at a time, a finger drags it by its handle, Escape closes it. The overlay is hidden
// from screen readers and lets every click and every focus through: it never traps anyone.
(function () {
  "use strict";
  var boxes = document.querySelectorAll(".reading-tools[data-target]");
  if (!boxes.length) return;
  var FIELDS = "input, select, textarea, [contenteditable='true'], [role='slider'], [role='listbox']";

  function setup(box) {
    var target = document.querySelector(box.getAttribute("data-target"));
    var group = box.querySelector(".ruler-group");
    if (!target || !group) return;
    box.hidden = false;
    group.hidden = false;
    var setting = box.querySelector(".ruler-setting");
    if (setting) setting.hidden = false;
    var toggle = group.querySelector(".ruler-toggle");
    var select = box.querySelector(".ruler-lines");
    var saved = document.documentElement.getAttribute("data-rm-ruler");
    if (saved && select.querySelector('option[value="' + saved + '"]')) select.value = saved;
    var ruler = null, band, topMask, bottomMask, handle;
    var top = 0, dragOffset = null;

    function lineHeight() {
      var sample = target.querySelector("p, li, label, legend") || target;
      var style = window.getComputedStyle(sample);
      var value = parseFloat(style.lineHeight);
      if (!value) value = parseFloat(style.fontSize) * 1.5;
      return value;
    }

    function lines() { return parseInt(select.value, 10) || 3; }

    function build() {
      ruler = document.createElement("div");
      ruler.className = "rm-ruler";
      ruler.setAttribute("aria-hidden", "true");
      topMask = document.createElement("div");
      topMask.className = "rm-ruler-mask rm-ruler-top";
      bottomMask = document.createElement("div");
      bottomMask.className = "rm-ruler-mask rm-ruler-bottom";
      band = document.createElement("div");
      band.className = "rm-ruler-band";
      handle = document.createElement("div");
      handle.className = "rm-ruler-handle";
      ruler.appendChild(topMask);
      ruler.appendChild(band);
      ruler.appendChild(bottomMask);
      ruler.appendChild(handle);
      handle.addEventListener("pointerdown", function (event) {
        dragOffset = event.clientY - top;
        handle.setPointerCapture(event.pointerId);
        event.preventDefault();
      });
      handle.addEventListener("pointermove", function (event) {
        if (dragOffset === null) return;
        place(event.clientY - dragOffset);
      });
      function drop() { dragOffset = null; }
      handle.addEventListener("pointerup", drop);
      handle.addEventListener("pointercancel", drop);
      document.body.appendChild(ruler);
    }

    function place(y) {
      var height = Math.round(lineHeight() * lines());
      var max = Math.max(0, window.innerHeight - height);
      top = Math.min(Math.max(0, Math.round(y)), max);
      topMask.style.height = top + "px";
      band.style.top = top + "px";
      band.style.height = height + "px";
      bottomMask.style.top = (top + height) + "px";
      handle.style.top = Math.max(0, top + height / 2 - 22) + "px";
      ruler.setAttribute("data-top", String(top));
      ruler.setAttribute("data-height", String(height));
    }

    function move(direction) {
      var step = lineHeight();
      var height = step * lines();
      var next = top + direction * step;
      // At an edge of the screen, the page scrolls and the ruler stays on the same line.
      if (next + height > window.innerHeight - step && direction > 0) {
        var before = window.scrollY;
        window.scrollBy(0, step);
        if (window.scrollY !== before) next = top;
      } else if (next < step && direction < 0) {
        var was = window.scrollY;
        window.scrollBy(0, -step);
        if (window.scrollY !== was) next = top;
      }
      place(next);
    }

    function onKey(event) {
      if (event.key === "Escape") { close(); return; }
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.target && event.target.closest && event.target.closest(FIELDS)) return;
      event.preventDefault();
      move(event.key === "ArrowDown" ? 1 : -1);
    }

    function onResize() { if (ruler && !ruler.hidden) place(top); }

    function open() {
      if (!ruler) build();
      ruler.hidden = false;
      // Start on the first line of text still on screen; bring the text up if it is below.
      var blocks = target.querySelectorAll("p, li, legend, h2, h3");
      var first = null;
      for (var i = 0; i < blocks.length && !first; i++) {
        if (blocks[i].getBoundingClientRect().bottom > 0) first = blocks[i];
      }
      first = first || target;
      var y = first.getBoundingClientRect().top;
      if (y > window.innerHeight * 0.7) {
        window.scrollBy(0, y - window.innerHeight * 0.3);
        y = first.getBoundingClientRect().top;
      }
      place(Math.max(0, y));
      toggle.setAttribute("aria-pressed", "true");
      document.addEventListener("keydown", onKey);
      window.addEventListener("resize", onResize);
    }

    function close() {
      if (ruler) ruler.hidden = true;
      toggle.setAttribute("aria-pressed", "false");
      document.removeEventListener("keydown", onKey);
      window.removeEventListener("resize", onResize);
    }

    toggle.addEventListener("click", function () {
      if (toggle.getAttribute("aria-pressed") === "true") close(); else open();
    });
    select.addEventListener("change", function () {
      if (ruler && !ruler.hidden) place(top);
      if (window.ParcoursReading) {
        window.ParcoursReading.save({ ruler: select.value }).catch(function () {});
      }
    });
  }

  boxes.forEach(setup);
})();
