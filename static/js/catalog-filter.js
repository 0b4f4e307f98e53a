// The catalogue: opened on a wide screen (a phone keeps it collapsed by course and skill), and
// narrowed as the learner types in the search field. Without JavaScript the search form asks the
// server, which sends the narrowed catalogue.
(function () {
  "use strict";
  var field = document.getElementById("catalog-q");
  var status = document.getElementById("catalog-status");
  if (!field) return;
  var courses = document.querySelectorAll("details.catalog-course");
  if (!field.value && window.matchMedia && window.matchMedia("(min-width: 48rem)").matches) {
    Array.prototype.forEach.call(courses, function (d) { d.open = true; });
  }

  function plain(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function show(element, visible) {
    element.hidden = !visible;
  }

  function filter() {
    var words = plain(field.value).split(/\s+/).filter(Boolean);
    var found = 0;
    function matches(element) {
      var text = plain(element.textContent);
      return words.every(function (w) { return text.indexOf(w) !== -1; });
    }
    Array.prototype.forEach.call(courses, function (course) {
      var anyInCourse = false;
      var skills = course.querySelectorAll(".catalog-skill-item");
      var lists = skills.length ? skills : course.querySelectorAll(".cards > li");
      Array.prototype.forEach.call(lists, function (item) {
        var ok = !words.length || matches(item);
        show(item, ok);
        if (ok) { anyInCourse = true; found += 1; }
        var details = item.querySelector("details");
        if (details && words.length) details.open = ok;
      });
      show(course, anyInCourse || !words.length);
      if (words.length) course.open = anyInCourse;
    });
    if (status && words.length && !found) status.textContent = status.getAttribute("data-none");
    else if (status && words.length) status.textContent = "";
  }

  var timer = null;
  field.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(filter, 150);
  });
})();
