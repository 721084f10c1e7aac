// The ID photo capture page (一窗通拍, people/person_photo_take.html).
//
// The counter's camera through the browser (getUserMedia: no plug-in). A frame over the live
// picture shows the part that is kept: the largest centred region at the ID-photo ratio 358:441,
// the same region the server cuts out (people/photos.py). "Take photo" draws that region, at the
// camera's own resolution, onto a canvas; the canvas becomes a JPEG file that is put into the
// form's file input (DataTransfer), so the camera and an uploaded file arrive the same way and
// the server checks both alike. No inline script or handler: the CSP forbids them.
//
// getUserMedia needs a secure context: HTTPS, or localhost / 127.0.0.1. Elsewhere the page says
// so and the upload still works.
(function () {
  "use strict";

  var form = document.querySelector("[data-photo-capture]");
  if (!form) {
    return;
  }
  var RATIO_WIDTH = 358;
  var RATIO_HEIGHT = 441;
  var status = form.querySelector("[data-photo-status]");
  var camera = form.querySelector("[data-photo-camera]");
  var video = form.querySelector("[data-photo-video]");
  var canvas = form.querySelector("[data-photo-canvas]");
  var frame = form.querySelector("[data-photo-frame]");
  var shoot = form.querySelector("[data-photo-shoot]");
  var retake = form.querySelector("[data-photo-retake]");
  var fileInput = form.querySelector("input[type=file][name=photo]");
  var source = form.querySelector("input[name=source]");

  function say(message) {
    status.textContent = form.dataset[message] || "";
  }

  // The centred region of the ID-photo ratio inside a picture of width × height.
  function region(width, height) {
    var cropWidth = width;
    var cropHeight = height;
    if (width * RATIO_HEIGHT > height * RATIO_WIDTH) {
      cropWidth = Math.floor((height * RATIO_WIDTH) / RATIO_HEIGHT);
    } else {
      cropHeight = Math.floor((width * RATIO_HEIGHT) / RATIO_WIDTH);
    }
    return {
      x: Math.floor((width - cropWidth) / 2),
      y: Math.floor((height - cropHeight) / 2),
      width: cropWidth,
      height: cropHeight,
    };
  }

  // The frame (and the still, once taken) over exactly that region of the video as shown.
  function place(element) {
    var width = video.videoWidth;
    var height = video.videoHeight;
    var kept = region(width, height);
    element.style.left = (100 * kept.x) / width + "%";
    element.style.top = (100 * kept.y) / height + "%";
    element.style.width = (100 * kept.width) / width + "%";
    element.style.height = (100 * kept.height) / height + "%";
  }

  function showLive() {
    canvas.hidden = true;
    shoot.hidden = false;
    retake.hidden = true;
    if (video.paused) {
      video.play();
    }
    say("msgReady");
  }

  if (!window.isSecureContext || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    say("msgInsecure");
    return;
  }
  say("msgStarting");
  navigator.mediaDevices
    .getUserMedia({ video: { width: { ideal: 1280 }, height: { ideal: 960 } }, audio: false })
    .then(function (stream) {
      video.srcObject = stream;
      video.addEventListener("loadedmetadata", function () {
        camera.hidden = false;
        place(frame);
        video.play();
        shoot.disabled = false;
        say("msgReady");
      });
      // Let go of the camera when the officer leaves the page.
      window.addEventListener("pagehide", function () {
        stream.getTracks().forEach(function (track) {
          track.stop();
        });
      });
    })
    .catch(function (error) {
      say(error && (error.name === "NotAllowedError" || error.name === "SecurityError") ? "msgDenied" : "msgNoCamera");
    });

  shoot.addEventListener("click", function () {
    var kept = region(video.videoWidth, video.videoHeight);
    canvas.width = kept.width;
    canvas.height = kept.height;
    canvas.getContext("2d").drawImage(video, kept.x, kept.y, kept.width, kept.height, 0, 0, kept.width, kept.height);
    video.pause();
    canvas.toBlob(
      function (blob) {
        if (!blob) {
          say("msgNoCamera");
          return;
        }
        var transfer = new DataTransfer();
        transfer.items.add(new File([blob], "camera.jpg", { type: "image/jpeg" }));
        fileInput.files = transfer.files;
        source.value = "webcam";
        place(canvas);
        canvas.hidden = false;
        shoot.hidden = true;
        retake.hidden = false;
        say("msgTaken");
      },
      "image/jpeg",
      0.92
    );
  });

  retake.addEventListener("click", function () {
    fileInput.value = "";
    source.value = "upload";
    showLive();
  });

  // A file chosen by hand is an upload, and replaces a still taken before.
  fileInput.addEventListener("change", function () {
    source.value = "upload";
    if (!canvas.hidden) {
      canvas.hidden = true;
      shoot.hidden = false;
      retake.hidden = true;
      if (video.srcObject) {
        video.play();
      }
    }
  });
})();
