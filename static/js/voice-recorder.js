// Voice note recording: with JavaScript, MediaRecorder and a microphone, the learner records in
// the page; the recording is put in the form's file field and sent with the form, as a file
// chosen from the phone would be. Without any of these, the file field works as it is.
(function () {
  "use strict";
  var field = document.querySelector("[data-recorder]");
  var input = field && field.querySelector("input[type=file]");
  var media = navigator.mediaDevices;
  if (!input || !window.MediaRecorder || !media || !media.getUserMedia || !window.DataTransfer) {
    return;
  }
  var LIMIT_SECONDS = 180; // about 3 minutes: the size limit said on the page
  var TYPES = ["audio/mp4", "audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/webm"];
  var words = field.dataset;
  var button = document.createElement("button");
  button.type = "button";
  button.className = "button button-secondary recorder-button";
  button.textContent = words.record;
  var status = document.createElement("p");
  status.className = "hint recorder-status";
  status.setAttribute("aria-live", "polite");
  field.appendChild(button);
  field.appendChild(status);
  var recorder = null;
  var timer = null;
  var started = 0;

  function chosenType() {
    for (var i = 0; i < TYPES.length; i += 1) {
      if (MediaRecorder.isTypeSupported(TYPES[i])) return TYPES[i];
    }
    return "";
  }

  function keep(chunks, type) {
    var mime = (type || "audio/webm").split(";")[0];
    var extension = { "audio/mp4": "m4a", "audio/ogg": "ogg" }[mime] || "webm";
    var list = new DataTransfer();
    list.items.add(new File(chunks, "note." + extension, { type: mime }));
    input.files = list.files;
  }

  function start(stream) {
    var type = chosenType();
    var chunks = [];
    recorder = type ? new MediaRecorder(stream, { mimeType: type }) : new MediaRecorder(stream);
    recorder.addEventListener("dataavailable", function (event) {
      if (event.data && event.data.size) chunks.push(event.data);
    });
    recorder.addEventListener("stop", function () {
      clearTimeout(timer);
      stream.getTracks().forEach(function (track) { track.stop(); });
      keep(chunks, recorder.mimeType || type);
      var seconds = Math.max(1, Math.round((Date.now() - started) / 1000));
      status.textContent = words.recorded.replace("%s", String(seconds));
      button.textContent = words.again;
    });
    started = Date.now();
    recorder.start();
    timer = setTimeout(function () {
      if (recorder.state === "recording") recorder.stop();
    }, LIMIT_SECONDS * 1000);
    button.textContent = words.stop;
    status.textContent = words.recording;
  }

  button.addEventListener("click", function () {
    if (recorder && recorder.state === "recording") {
      recorder.stop();
      return;
    }
    media.getUserMedia({ audio: true }).then(start, function () {
      status.textContent = words.denied;
    });
  });
})();
