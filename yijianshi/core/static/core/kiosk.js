// 自助终端 (kiosk): the on-screen keypads, and signing out after a spell without a touch or a key, with a warning
// first. Loaded on /kiosk/ pages and in kiosk sessions only; settings and texts come from #kiosk-chrome.
(function () {
  "use strict";

  // Keypads type into a real, labelled input, so a physical keyboard and screen readers keep working there.
  document.querySelectorAll("[data-keypad-for]").forEach(function (pad) {
    var input = document.getElementById(pad.dataset.keypadFor);
    var count = pad.querySelector("[data-keypad-count]");
    if (!input) { return; }
    function shown() { count.textContent = input.value.length; }
    function press(key) {
      if (key === "back") { input.value = input.value.slice(0, -1); }
      else if (key === "clear") { input.value = ""; }
      else if (input.maxLength < 0 || input.value.length < input.maxLength) { input.value += key; }
      shown();
    }
    pad.addEventListener("click", function (event) {
      var key = event.target.closest("button[data-key]");
      if (key) { press(key.dataset.key); }
    });
    // Typing on a keyboard while a key has the focus goes to the input too.
    pad.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) { return; }
      var typed = event.key.length === 1 ? event.key.toUpperCase() : event.key;
      var key = /^[0-9]$/.test(typed) || (typed === "X" && pad.querySelector('[data-key="X"]')) ? typed
        : typed === "Backspace" ? "back" : null;
      if (key) { event.preventDefault(); press(key); }
    });
    input.addEventListener("input", shown);
    pad.hidden = false;
    shown();
  });

  var chrome = document.getElementById("kiosk-chrome");
  if (!chrome) { return; }
  var idle = Number(chrome.dataset.idleSeconds) * 1000;
  var warnFor = Number(chrome.dataset.warningSeconds) * 1000;
  var session = chrome.dataset.session === "1";
  var armed = chrome.dataset.armed === "1";  // otherwise from the first touch: before it there is nothing to clear
  var logout = document.getElementById("kiosk-idle-logout");
  var warning = document.getElementById("kiosk-warning");
  var left = warning.querySelector("[data-kiosk-left]");
  var countdown = document.getElementById("kiosk-seconds");
  // The server renews the session on each page and each `alive` call; a touch calls it at most this often.
  var renewEvery = Math.min(5000, warnFor / 2);
  var lastActive = Date.now(), lastRenewed = Date.now();
  var leaving = false, swallowClick = false, focusBefore = null;

  function leave() {
    if (leaving) { return; }
    leaving = true;
    logout.submit();
  }

  function renew() {
    lastRenewed = Date.now();
    fetch(chrome.dataset.aliveUrl, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      if (response.status === 401) { leave(); }  // the server ended the session already
    }).catch(function () { /* offline for a moment: the page timer still ends the session */ });
  }

  function showWarning() {
    focusBefore = document.activeElement;
    warning.hidden = false;
    warning.querySelector("button").focus();
  }

  function hideWarning() {
    warning.hidden = true;
    if (focusBefore && focusBefore.focus) { focusBefore.focus(); }
  }

  function tick() {
    if (!armed || leaving) { return; }
    var remaining = idle - (Date.now() - lastActive);
    if (remaining <= 0) { leave(); return; }
    var seconds = String(Math.ceil(remaining / 1000));
    if (countdown) { countdown.textContent = seconds; }
    if (remaining <= warnFor) {
      left.textContent = seconds;
      if (warning.hidden) { showWarning(); }
    }
  }

  function activity(event) {
    if (leaving) { return; }
    lastActive = Date.now();
    if (!warning.hidden) {
      // "点击任意位置继续": the touch that dismisses the warning does nothing else.
      if (event.type === "pointerdown") { swallowClick = true; setTimeout(function () { swallowClick = false; }, 1000); }
      if (event.type === "keydown") { event.preventDefault(); }
      hideWarning();
      if (session) { renew(); }
    } else if (session && Date.now() - lastRenewed >= renewEvery) {
      renew();
    }
    armed = true;
  }

  document.addEventListener("pointerdown", activity, true);
  document.addEventListener("keydown", activity, true);
  ["input", "wheel", "scroll"].forEach(function (type) {
    document.addEventListener(type, activity, { capture: true, passive: true });
  });
  document.addEventListener("click", function (event) {
    if (swallowClick) { swallowClick = false; event.preventDefault(); event.stopPropagation(); }
  }, true);
  setInterval(tick, 250);

  // A page shown again from the browser's history (Back) may belong to a session that has ended: the next person
  // must not see it.
  function recheck() {
    var root = document.documentElement;
    root.style.visibility = "hidden";
    fetch(chrome.dataset.aliveUrl, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      if (response.status === 401) { location.replace(chrome.dataset.signinUrl); } else { root.style.visibility = ""; }
    }).catch(function () { root.style.visibility = ""; });
  }
  if (session) {
    var navigation = performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
    if (navigation && navigation.type === "back_forward") { recheck(); }
    window.addEventListener("pageshow", function (event) { if (event.persisted) { recheck(); } });
  }
})();
