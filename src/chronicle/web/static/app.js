// chronicle web UI: the reader's layers and highlights. No inline scripts (the CSP forbids
// them), no requests to other hosts; the pages work without this file, it only adds clicks.
"use strict";

(function () {
  var text = document.getElementById("text");
  if (!text) return;
  var detail = document.getElementById("detail");

  // layers: each checkbox hides its layer's highlights (the text stays)
  document.querySelectorAll("input[data-layer]").forEach(function (box) {
    box.addEventListener("change", function () {
      text.classList.toggle("hide-" + box.dataset.layer, !box.checked);
    });
  });

  function select(keys) {
    document.querySelectorAll(".hl.sel").forEach(function (el) { el.classList.remove("sel"); });
    document.querySelectorAll(".fact.active").forEach(function (el) { el.classList.remove("active"); });
    detail.querySelectorAll(".detail").forEach(function (el) { el.hidden = true; });
    var hint = detail.querySelector(".hint");
    if (hint) hint.hidden = keys.length > 0;
    var first = null;
    keys.forEach(function (key) {
      var d = document.getElementById("d-" + key);
      if (d) d.hidden = false;
      var item = document.getElementById(key);
      if (item) item.classList.add("active");
      text.querySelectorAll(".hl").forEach(function (el) {
        if (el.dataset.k.split(" ").indexOf(key) >= 0) {
          el.classList.add("sel");
          if (!first) first = el;
        }
      });
    });
    return first;
  }

  // a click on a highlight shows every fact that covers that spot
  text.addEventListener("click", function (ev) {
    var el = ev.target.closest(".hl");
    if (!el) return;
    select(el.dataset.k.split(" "));
  });

  // a click on a fact in the side list (or a link to one) selects it and shows it in the text
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest("a[data-select]");
    if (!a) return;
    ev.preventDefault();
    var first = select([a.dataset.select]);
    if (first) first.scrollIntoView({ block: "center", behavior: "smooth" });
    history.replaceState(null, "", "#" + a.dataset.select);
  });

  // /articles/ID#stm-s1 opens the reader on that fact
  function fromHash() {
    if (location.hash.length < 2) return;
    var key = decodeURIComponent(location.hash.slice(1));
    if (!document.getElementById("d-" + key)) return;
    var first = select([key]);
    if (first) first.scrollIntoView({ block: "center" });
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
