// The application form, enhanced. Without JavaScript it still saves, uploads and submits as a plain form.
// - A draft is saved when typing pauses; the server checks what was typed and its messages mark the fields
//   (it stays the authority: the same checks run again on submission). A required field left empty is said at once.
// - Each file is checked for type and size before it is sent, shown as a preview, and, on a draft, uploaded at
//   once with its progress; files can be chosen, dropped on the material, or taken with a phone's camera.
(function () {
  var form = document.querySelector("form.application-form");
  if (!form) { return; }
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var status = form.querySelector("[data-autosave-status]");
  var autosaveUrl = form.dataset.autosaveUrl;
  var uploadUrl = form.dataset.uploadUrl;
  var marked = {};

  function say(text) { if (status) { status.textContent = text; } }

  function showError(name, message) {
    var input = form.querySelector('[name="' + CSS.escape(name) + '"]');
    if (!input) { return false; }
    var box = input.closest(".field") || input.closest("fieldset") || input.parentNode;
    var id = (input.id || name) + "-error";
    var note = document.getElementById(id);
    if (message) {
      if (!note) {
        note = document.createElement("p");
        note.className = "field-error";
        note.id = id;
        box.appendChild(note);
      }
      note.textContent = message;
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", id);
      marked[name] = true;
    } else {
      if (note) { note.remove(); }
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
      delete marked[name];
    }
    return true;
  }

  function labelOf(input) {
    var label = input.id && form.querySelector('label[for="' + CSS.escape(input.id) + '"]');
    return label ? label.textContent.replace("*", "").trim() : "";
  }

  // Required fields: said when the applicant leaves one empty, not before.
  form.querySelectorAll("[aria-required=true]").forEach(function (input) {
    input.addEventListener("blur", function () {
      var note = document.getElementById((input.id || input.name) + "-error");
      if (!input.value.trim()) { showError(input.name, "请填写：" + labelOf(input)); }
      else if (note && note.textContent.indexOf("请填写") === 0) { showError(input.name, ""); }
    });
  });

  // Autosave with the server's checks.
  function serialize() {
    var pairs = [];
    new FormData(form).forEach(function (value, key) {
      if (typeof value === "string" && key !== "csrfmiddlewaretoken" && key !== "action") { pairs.push([key, value]); }
    });
    return new URLSearchParams(pairs).toString();
  }

  if (autosaveUrl) {
    var lastSent = serialize();
    var timer = null;
    var save = function () {
      var body = serialize();
      if (body === lastSent) { return; }
      say("正在保存……");
      fetch(autosaveUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf, "Content-Type": "application/x-www-form-urlencoded" },
        body: body
      }).then(function (response) { return response.json(); }).then(function (answer) {
        lastSent = body;
        var errors = answer.errors || {};
        Object.keys(marked).forEach(function (name) { if (!errors[name]) { showError(name, ""); } });
        var unplaced = [];
        Object.keys(errors).forEach(function (name) { if (!showError(name, errors[name])) { unplaced.push(errors[name]); } });
        if (unplaced.length) { say(unplaced.join("；")); }
        else if (Object.keys(errors).length) { say("标红的内容有误，改正后会自动保存。"); }
        else { say("草稿已自动保存（" + answer.saved_at + "），换一台设备登录也能继续。"); }
      }).catch(function () { say("暂时无法自动保存，请检查网络；也可以点“保存草稿”。"); });
    };
    var later = function (event) {
      if (event.target.type === "file") { return; }
      clearTimeout(timer);
      timer = setTimeout(save, 1200);
    };
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState !== "hidden" || serialize() === lastSent) { return; }
      var body = new URLSearchParams(serialize());
      body.append("csrfmiddlewaretoken", csrf);
      navigator.sendBeacon(autosaveUrl, body);
    });
  }

  // Files.
  function sizeText(bytes) {
    return bytes >= 1048576 ? (bytes / 1048576).toFixed(1) + " MB" : Math.max(1, Math.round(bytes / 1024)) + " KB";
  }

  function extension(name) { return (name.split(".").pop() || "").toLowerCase(); }

  function accepted(file, accept) {
    var ext = "." + extension(file.name);
    if (ext === ".jpg") { ext = ".jpeg"; }
    return accept.split(",").some(function (kind) { return kind === file.type || kind.toLowerCase() === ext; });
  }

  function problemOf(file, input, accept) {
    if (file.size === 0) { return "“" + file.name + "”是空文件"; }
    if (file.size > Number(input.dataset.maxBytes)) {
      return "“" + file.name + "”有 " + sizeText(file.size) + "，超过 " + sizeText(Number(input.dataset.maxBytes)) + " 的上限";
    }
    if (!accepted(file, accept)) { return "“" + file.name + "”的格式不符合要求"; }
    return "";
  }

  function row(file, queue) {
    var item = document.createElement("li");
    item.className = "upload-row";
    if (/^image\/(jpeg|png)$/.test(file.type)) {
      var image = new Image();
      image.src = URL.createObjectURL(file);
      image.alt = "预览：" + file.name;
      image.className = "upload-thumb";
      item.appendChild(image);
    } else {
      var icon = document.createElement("span");
      icon.className = "upload-icon";
      icon.setAttribute("aria-hidden", "true");
      icon.textContent = extension(file.name).toUpperCase();
      item.appendChild(icon);
    }
    var text = document.createElement("span");
    text.className = "upload-name";
    text.textContent = file.name + "（" + sizeText(file.size) + "）";
    item.appendChild(text);
    var open = document.createElement("a");
    open.href = URL.createObjectURL(file);
    open.target = "_blank";
    open.rel = "noopener";
    open.textContent = "预览";
    item.appendChild(open);
    queue.appendChild(item);
    return item;
  }

  function upload(file, name, queue) {
    var item = row(file, queue);
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", "上传进度：" + file.name);
    var note = document.createElement("span");
    note.className = "hint upload-note";
    note.textContent = "正在上传……";
    item.appendChild(bar);
    item.appendChild(note);
    var data = new FormData();
    data.append(name, file, file.name);
    var request = new XMLHttpRequest();
    request.open("POST", uploadUrl);
    request.setRequestHeader("X-CSRFToken", csrf);
    request.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) { bar.value = Math.round(event.loaded * 100 / event.total); }
    });
    request.addEventListener("load", function () {
      var answer = {};
      try { answer = JSON.parse(request.responseText); } catch (error) { answer = {}; }
      if (request.status === 200) {
        bar.value = 100;
        note.textContent = "已上传";
        item.classList.add("is-done");
        showError(name, "");
      } else {
        var errors = answer.errors || {};
        var message = errors[name] || errors[""] || Object.values(errors)[0] || "上传失败，请重试";
        note.textContent = "未上传：" + message;
        item.classList.add("is-failed");
        showError(name, message);
      }
    });
    request.addEventListener("error", function () {
      note.textContent = "上传失败，请检查网络后重试";
      item.classList.add("is-failed");
    });
    request.send(data);
  }

  form.querySelectorAll(".dropzone").forEach(function (zone) {
    var input = zone.querySelector("input[type=file]:not([capture])");
    var camera = zone.querySelector(".camera");
    var queue = zone.querySelector(".upload-queue");
    zone.classList.add("is-enhanced");
    zone.querySelector(".dropzone-hint").hidden = false;
    if (camera && window.matchMedia("(pointer: coarse)").matches) { camera.hidden = false; }

    function take(files, source, accept) {
      var problems = [];
      var good = [];
      files.forEach(function (file) {
        var problem = problemOf(file, source, accept);
        if (problem) { problems.push(problem); } else { good.push(file); }
      });
      showError(input.name, problems.join("；"));
      if (uploadUrl) {
        good.forEach(function (file) { upload(file, input.name, queue); });
        source.value = "";
        return;
      }
      // A correction sends its files with the form: keep the good ones in the input, shown as previews.
      var kept = new DataTransfer();
      good.forEach(function (file) { kept.items.add(file); });
      input.files = kept.files;
      if (source !== input) { source.value = ""; }
      queue.innerHTML = "";
      good.forEach(function (file) { row(file, queue); });
    }

    input.addEventListener("change", function () { take(Array.from(input.files), input, input.accept); });
    if (camera) {
      var shot = camera.querySelector("input");
      shot.addEventListener("change", function () { take(Array.from(shot.files), shot, input.accept); });
    }
    zone.addEventListener("dragover", function (event) { event.preventDefault(); zone.classList.add("is-over"); });
    zone.addEventListener("dragleave", function () { zone.classList.remove("is-over"); });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      zone.classList.remove("is-over");
      take(Array.from(event.dataTransfer.files), input, input.accept);
    });
  });
})();
