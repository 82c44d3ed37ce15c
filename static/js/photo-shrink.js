/* Photos made smaller on the phone before they are sent. A phone's photo weighs 3-12 MB; the
   portal keeps at most 2000 px of it anyway, and sending the rest over a village's weak signal
   costs minutes (or the 5 MB limit refuses it). Each JPEG chosen in an input marked
   data-shrink-photos is drawn at most that many pixels wide or high and sent as a JPEG of a
   few hundred KB. PNG and WebP are sent as they are (they may be transparent). When anything
   fails, the original files stay chosen and the portal checks them as always.

   More photos than data-max-photos are refused as soon as they are chosen, in every browser
   (shrinking or not): the choice is emptied and data-label-too-many says so beside the field.
   The portal refused them too, but only after all of them had crossed the weak signal. They
   are not cut down to the first few: which ones come "first" is the phone's gallery's order,
   not the resident's, and the one left out may be the photo that matters. */
(function () {
  "use strict";
  var WORTH_SHRINKING = 600 * 1024;
  var canShrink = shrinkingWorks();

  document.querySelectorAll("input[type=file][data-shrink-photos], input[type=file][data-max-photos]").forEach(function (input) {
    var longest = parseInt(input.dataset.shrinkPhotos, 10) || 2000;
    var most = parseInt(input.dataset.maxPhotos, 10) || 0;
    var status = document.createElement("p");
    status.className = "helptext";
    status.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", status);
    var problem = tooManyMessage(input);
    // Photos chosen again while the last ones are being shrunk: only the latest choice may set
    // the files and give the send button back.
    var latest = 0;
    input.addEventListener("change", function () {
      var run = ++latest;
      var chosen = Array.prototype.slice.call(input.files);
      var buttons = input.form ? input.form.querySelectorAll("button[type=submit], button:not([type])") : [];
      setDisabled(buttons, false);
      status.textContent = "";
      if (most && chosen.length > most) {
        input.value = "";
        problem.show(chosen.length);
        return;
      }
      problem.hide();
      if (!canShrink || !input.dataset.shrinkPhotos || !chosen.some(worthShrinking)) {
        return;
      }
      setDisabled(buttons, true);
      status.textContent = input.dataset.labelWorking;
      // One photo at a time: a cheap phone has little memory for several decoded photos.
      var sent = [];
      chosen.reduce(function (previous, file) {
        return previous.then(function () {
          var next = worthShrinking(file) ? shrink(file, longest) : Promise.resolve(file);
          return next.catch(function () { return file; }).then(function (result) {
            sent.push(result);
          });
        });
      }, Promise.resolve()).then(function () {
        if (run !== latest) { return; }
        var transfer = new DataTransfer();
        sent.forEach(function (file) { transfer.items.add(file); });
        input.files = transfer.files;
        status.textContent = input.dataset.labelDone
          .replace("%(before)s", megabytes(total(chosen)))
          .replace("%(after)s", megabytes(total(sent)));
      }).catch(function () {
        if (run === latest) { status.textContent = ""; }
      }).then(function () {
        if (run === latest) { setDisabled(buttons, false); }
      });
    });
  });

  /* The "too many photos" message, where the portal shows a field's mistakes (an errorlist
     under the field), tied to the field for screen readers. */
  function tooManyMessage(input) {
    var list = document.createElement("ul");
    list.className = "errorlist";
    list.id = input.id + "_too_many";
    list.setAttribute("role", "alert");
    list.hidden = true;
    var item = document.createElement("li");
    list.appendChild(item);
    input.insertAdjacentElement("afterend", list);
    var describedBy = input.getAttribute("aria-describedby") || "";
    return {
      show: function (count) {
        item.textContent = (input.dataset.labelTooMany || "").replace("%(chosen)s", count);
        list.hidden = false;
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", (list.id + " " + describedBy).trim());
      },
      hide: function () {
        list.hidden = true;
        item.textContent = "";
        input.removeAttribute("aria-invalid");
        if (describedBy) {
          input.setAttribute("aria-describedby", describedBy);
        } else {
          input.removeAttribute("aria-describedby");
        }
      }
    };
  }

  function shrinkingWorks() {
    if (!window.createImageBitmap || !window.DataTransfer || !window.HTMLCanvasElement ||
        !HTMLCanvasElement.prototype.toBlob) {
      return false;
    }
    try {
      new DataTransfer();  // Chrome before 60 has the name but cannot make one
    } catch (error) {
      return false;
    }
    return true;
  }

  function worthShrinking(file) {
    return file.type === "image/jpeg" && file.size > WORTH_SHRINKING;
  }

  function shrink(file, longest) {
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = Math.min(1, longest / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      if (bitmap.close) { bitmap.close(); }
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob || blob.size >= file.size) {
            resolve(file);
            return;
          }
          var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
          resolve(new File([blob], name, { type: "image/jpeg", lastModified: file.lastModified }));
        }, "image/jpeg", 0.85);
      });
    });
  }

  function total(files) {
    return files.reduce(function (sum, file) { return sum + file.size; }, 0);
  }

  function megabytes(bytes) {
    return (bytes / (1024 * 1024)).toFixed(1).replace(".", document.documentElement.lang === "id" ? "," : ".") + " MB";
  }

  function setDisabled(buttons, disabled) {
    Array.prototype.forEach.call(buttons, function (b) { b.disabled = disabled; });
  }
})();
