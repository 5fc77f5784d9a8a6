// Instant search suggestions: the search box is an ARIA combobox. Typing asks the public suggest API (after a short
// pause, the latest answer wins); Up/Down move through the list, Enter opens the chosen page, Escape closes the list.
// Without JavaScript the form still searches.
document.querySelectorAll(".suggest[data-suggest-url]").forEach(function (box) {
  var input = box.querySelector("[role=combobox]");
  var list = box.querySelector("[role=listbox]");
  var status = box.querySelector("[data-suggest-status]");
  var timer = null;
  var asked = 0;
  var active = -1;

  function options() { return list.querySelectorAll("[role=option]"); }

  function close() {
    list.hidden = true;
    list.innerHTML = "";
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function choose(index) {
    var all = options();
    if (!all.length) { return; }
    active = (index + all.length) % all.length;
    all.forEach(function (option, i) { option.setAttribute("aria-selected", i === active ? "true" : "false"); });
    input.setAttribute("aria-activedescendant", all[active].id);
    all[active].scrollIntoView({ block: "nearest" });
  }

  function show(suggestions) {
    close();
    if (!suggestions.length) { status.textContent = ""; return; }
    suggestions.forEach(function (s, i) {
      var option = document.createElement("li");
      option.id = input.id + "-suggestion-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.url = s.url;
      var kind = document.createElement("span");
      kind.className = "suggestion-kind";
      kind.textContent = s.kind === "life_event" ? "一件事" : s.department;
      var name = document.createElement("span");
      name.innerHTML = s.highlight; // escaped by the server; only <mark> is markup
      option.appendChild(name);
      option.appendChild(kind);
      option.addEventListener("mousedown", function (event) { event.preventDefault(); });
      option.addEventListener("click", function () { window.location.href = s.url; });
      list.appendChild(option);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    status.textContent = suggestions.length + " 条提示";
  }

  function ask() {
    var query = input.value.trim();
    if (!query) { close(); return; }
    var ticket = ++asked;
    fetch(box.dataset.suggestUrl + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
      .then(function (body) { if (ticket === asked) { show(body.suggestions); } })
      .catch(function () { if (ticket === asked) { close(); } });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 150);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (list.hidden) { return; }
      event.preventDefault();
      choose(active + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.href = options()[active].dataset.url;
    } else if (event.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 100); });
});
