// Read aloud with the browser's own voices (speechSynthesis): play, pause, stop and speed, in
// the language of the text, sentence by sentence, with the sentence and the word being read
// highlighted (CSS Custom Highlight API: the text itself is never changed). Where the browser
// has no voice for the language, the button says so and the message is announced: never a
// button that does nothing.
(function () {
  "use strict";
  var boxes = document.querySelectorAll(".reading-tools[data-target]");
  if (!boxes.length) return;
  var SKIP = "[aria-hidden='true'], [hidden], button, select, option, input, textarea, script, " +
             "style, .reading-tools, .visually-hidden";
  var BLOCKS = /^(P|LI|DD|DT|H[1-6]|LEGEND|LABEL|TD|TH|BLOCKQUOTE|DIV|SECTION|ARTICLE|FIELDSET|UL|OL|DL|TABLE|TR|FORM|CAPTION)$/;
  var SENTENCE = /[^.!?…\n]+(?:[.!?…]+["»”’)]*|\n|$)/g;
  var highlights = window.CSS && CSS.highlights && window.Highlight ? CSS.highlights : null;
  var VOICE_WAIT = 2000;
  var SETTINGS_KEY = "parcours.reading-tools";

  function foldSettings(box) {
    // The tools' settings (speed, lines shown) behind a disclosure button. Only a phone's screen
    // folds them (reading.css); the button is hidden on a wider one. Opened once, they stay open
    // on this device until closed.
    var more = box.querySelector(".reading-tools-more");
    var settings = box.querySelector(".reading-tools-settings");
    if (!more || !settings) return;
    function show(open) {
      more.setAttribute("aria-expanded", open ? "true" : "false");
      box.setAttribute("data-settings", open ? "open" : "closed");
    }
    var remembered = null;
    try { remembered = window.localStorage.getItem(SETTINGS_KEY); } catch (e) { /* private mode */ }
    show(remembered === "open");
    more.hidden = false;
    more.addEventListener("click", function () {
      var open = more.getAttribute("aria-expanded") !== "true";
      show(open);
      try {
        window.localStorage.setItem(SETTINGS_KEY, open ? "open" : "closed");
      } catch (e) { /* private mode */ }
    });
  }

  function textOf(root) {
    // The readable text of `root` and, for each piece, the text node it comes from.
    var pieces = [], text = "", lastBlock = null;
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        var parent = node.parentElement;
        if (!parent || parent.closest(SKIP)) return NodeFilter.FILTER_REJECT;
        return /\S/.test(node.data) || node.data.length ? NodeFilter.FILTER_ACCEPT
                                                        : NodeFilter.FILTER_REJECT;
      }
    });
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      var block = node.parentElement;
      while (block && block !== root && !BLOCKS.test(block.tagName)) block = block.parentElement;
      if (lastBlock && block !== lastBlock) text += "\n";
      lastBlock = block;
      pieces.push({ node: node, start: text.length, end: text.length + node.data.length });
      text += node.data;
    }
    return { text: text, pieces: pieces };
  }

  function sentencesOf(text) {
    var found = [], match;
    SENTENCE.lastIndex = 0;
    while ((match = SENTENCE.exec(text)) !== null) {
      if (!match[0]) { SENTENCE.lastIndex++; continue; }
      var lead = match[0].search(/\S/);
      if (lead < 0) continue;
      var body = match[0].replace(/\s+$/, "");
      found.push({ start: match.index + lead, end: match.index + body.length });
    }
    return found;
  }

  function pointAt(pieces, offset, atEnd) {
    for (var i = 0; i < pieces.length; i++) {
      var piece = pieces[i];
      if (offset < piece.end || (atEnd && offset === piece.end)) {
        if (offset < piece.start) return { node: piece.node, offset: 0 };
        return { node: piece.node, offset: offset - piece.start };
      }
    }
    var last = pieces[pieces.length - 1];
    return { node: last.node, offset: last.node.data.length };
  }

  function rangeOf(content, start, end) {
    var from = pointAt(content.pieces, start, false);
    var to = pointAt(content.pieces, end, true);
    var range = document.createRange();
    range.setStart(from.node, from.offset);
    range.setEnd(to.node, to.offset);
    return range;
  }

  function setup(box) {
    var target = document.querySelector(box.getAttribute("data-target"));
    var group = box.querySelector(".tts-group");
    if (!target || !group) return;
    box.hidden = false;
    group.hidden = false;
    var setting = box.querySelector(".tts-setting");
    if (setting) setting.hidden = false;
    foldSettings(box);
    var play = box.querySelector(".tts-play");
    var pause = box.querySelector(".tts-pause");
    var stop = box.querySelector(".tts-stop");
    var rate = box.querySelector(".tts-rate");
    var status = box.querySelector(".tts-status");
    var saved = document.documentElement.getAttribute("data-rm-rate");
    if (saved && rate.querySelector('option[value="' + saved + '"]')) rate.value = saved;
    var synth = window.speechSynthesis;
    var lang = ((target.closest("[lang]") || document.documentElement).getAttribute("lang") || "fr")
      .toLowerCase();
    var voice = null, voicesKnown = false, unavailable = false;
    var run = 0, state = "idle", content = null, sentences = [], index = 0, marked = null;

    function say(message) {
      status.textContent = "";
      window.setTimeout(function () { status.textContent = message; }, 50);
    }

    function findVoice() {
      var voices = (synth && synth.getVoices && synth.getVoices()) || [];
      var matching = voices.filter(function (v) {
        return (v.lang || "").toLowerCase().replace("_", "-").split("-")[0] === lang.split("-")[0];
      });
      matching.sort(function (a, b) {
        return (b.localService ? 1 : 0) - (a.localService ? 1 : 0) || (b["default"] ? 1 : 0) - (a["default"] ? 1 : 0);
      });
      return matching[0] || null;
    }

    function noVoice() {
      unavailable = true;
      play.setAttribute("aria-disabled", "true");
      play.setAttribute("aria-pressed", "false");
      play.textContent = box.getAttribute("data-msg-no-voice");
      play.setAttribute("aria-describedby", status.id || (status.id = box.id + "-status"));
      pause.hidden = true;
      stop.hidden = true;
      if (setting) setting.hidden = true;
      box.querySelectorAll(".tts-listen").forEach(function (b) {
        b.setAttribute("aria-disabled", "true");
        b.textContent = box.getAttribute("data-msg-no-voice");
      });
      say(box.getAttribute("data-msg-no-voice-help"));
    }

    function learnVoices() {
      if (!synth || !window.SpeechSynthesisUtterance) { noVoice(); return; }
      voice = findVoice();
      if (voice) { voicesKnown = true; return; }
      var done = false;
      function check() {
        voice = findVoice();
        if (voice && !done) { done = true; voicesKnown = true; }
      }
      if (synth.addEventListener) synth.addEventListener("voiceschanged", check);
      window.setTimeout(function () {
        check();
        if (!voice) { done = true; voicesKnown = true; noVoice(); }
      }, VOICE_WAIT);
    }

    function clearMarks() {
      if (highlights) { highlights["delete"]("tts-sentence"); highlights["delete"]("tts-word"); }
      if (marked) { marked.classList.remove("tts-current"); marked = null; }
    }

    function mark(name, range) {
      if (highlights) {
        highlights.set(name, new Highlight(range));
      } else if (name === "tts-sentence") {
        // No highlight API: mark the paragraph that holds the sentence.
        if (marked) marked.classList.remove("tts-current");
        marked = range.startContainer.parentElement;
        marked.classList.add("tts-current");
      }
    }

    function showSentence(i) {
      var range = rangeOf(content, sentences[i].start, sentences[i].end);
      mark("tts-sentence", range);
      if (highlights) highlights["delete"]("tts-word");
      var rect = range.getBoundingClientRect();
      if (rect.top < 0 || rect.bottom > window.innerHeight) {
        var element = range.startContainer.parentElement;
        if (element && element.scrollIntoView) element.scrollIntoView({ block: "center" });
      }
    }

    function showWord(i, charIndex, charLength) {
      var sentence = sentences[i];
      var start = sentence.start + charIndex;
      if (start >= sentence.end) return;
      var length = charLength;
      if (!length) {
        var rest = content.text.slice(start, sentence.end).match(/^[^\s]+/);
        length = rest ? rest[0].length : 0;
      }
      if (!length) return;
      mark("tts-word", rangeOf(content, start, Math.min(start + length, sentence.end)));
    }

    function setState(next) {
      state = next;
      play.setAttribute("aria-pressed", next === "idle" ? "false" : "true");
      pause.setAttribute("aria-pressed", next === "paused" ? "true" : "false");
      pause.disabled = next === "idle";
      stop.disabled = next === "idle";
      box.setAttribute("data-tts-state", next);
    }

    function speak(i, myRun) {
      if (myRun !== run) return;
      if (i >= sentences.length) { finish(); return; }
      index = i;
      var sentence = sentences[i];
      var utterance = new SpeechSynthesisUtterance(content.text.slice(sentence.start, sentence.end));
      utterance.lang = voice.lang || lang;
      utterance.voice = voice;
      utterance.rate = parseFloat(rate.value) || 1;
      utterance.onstart = function () { if (myRun === run) showSentence(i); };
      utterance.onboundary = function (event) {
        if (myRun !== run || (event.name && event.name !== "word")) return;
        showWord(i, event.charIndex, event.charLength);
      };
      utterance.onend = function () { if (myRun === run) speak(i + 1, myRun); };
      utterance.onerror = function (event) {
        if (myRun !== run || event.error === "interrupted" || event.error === "canceled") return;
        finish();
        say(box.getAttribute("data-msg-failed"));
      };
      // Without boundary events, the sentence is still highlighted when it starts.
      showSentence(i);
      synth.speak(utterance);
    }

    function start(from, element) {
      if (unavailable) { say(box.getAttribute("data-msg-no-voice-help")); return; }
      if (!voice) voice = findVoice();
      if (!voice) {
        if (voicesKnown) noVoice();
        else say(box.getAttribute("data-msg-no-voice-help"));
        return;
      }
      run++;
      synth.cancel();
      content = textOf(element || target);
      sentences = sentencesOf(content.text);
      if (!sentences.length) return;
      setState("playing");
      speak(from || 0, run);
    }

    function finish() {
      run++;
      if (synth) synth.cancel();
      clearMarks();
      setState("idle");
    }

    play.addEventListener("click", function () {
      if (unavailable) { say(box.getAttribute("data-msg-no-voice-help")); return; }
      if (state === "paused") { synth.resume(); setState("playing"); return; }
      if (state === "playing") return;
      start(0);
    });
    pause.addEventListener("click", function () {
      if (state === "playing") { synth.pause(); setState("paused"); }
      else if (state === "paused") { synth.resume(); setState("playing"); }
    });
    stop.addEventListener("click", finish);
    rate.addEventListener("change", function () {
      if (state === "playing") { var at = index; run++; synth.cancel(); speak(at, run); }
      if (window.ParcoursReading) {
        window.ParcoursReading.save({ rate: rate.value }).catch(function () {});
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && state !== "idle") finish();
    });
    window.addEventListener("pagehide", function () { if (state !== "idle") finish(); });

    var listen = box.getAttribute("data-listen");
    if (listen) {
      document.querySelectorAll(listen).forEach(function (part) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "button button-secondary tts-listen";
        var number = part.querySelector(".question-number");
        button.textContent = box.getAttribute("data-msg-listen")
          .replace("{part}", number ? number.textContent.trim() : "");
        button.addEventListener("click", function () {
          if (unavailable) { say(box.getAttribute("data-msg-no-voice-help")); return; }
          start(0, part);
        });
        var legend = part.querySelector("legend");
        if (legend && legend.nextSibling) part.insertBefore(button, legend.nextSibling);
        else part.appendChild(button);
      });
    }
    setState("idle");
    learnVoices();
  }

  boxes.forEach(setup);
})();
