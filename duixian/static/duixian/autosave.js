// Autosave for the application's section forms (templates/applications/section.html).
//
// Saves the whole form in the background after each change, one save at a time, and never
// replaces what the applicant is typing: the server answers with the outcome only (the time
// saved, errors per field, the verdict panel), and this script puts each error beside its field.
// A failed save says so (保存失败, with a 重试 button) and is retried by itself; the submit
// button and links away wait for a save on its way; leaving the page sends what is unsaved.
// Conditional questions show or hide as soon as the answer they hang on changes, from the same
// condition the server uses (data-show-when / data-show-value on the question).
// Each save names the fields changed on this page (autosave_fields), and the server saves only
// those: another tab (or person) that saved other fields of the section meanwhile keeps them.
// Without JavaScript the form is an ordinary form and the button saves it.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form) { return; }
  var url = form.getAttribute("data-autosave");
  var box = document.getElementById("autosave");
  var statusEl = document.getElementById("autosave-status");
  var retryButton = document.getElementById("autosave-retry");
  var TYPING_DELAY = 600;
  var RETRY_DELAYS = [2000, 4000, 8000, 15000, 30000];

  var dirty = false;      // the form differs from what the last successful save sent
  var inflight = null;    // the save on its way (a Promise), if any
  var timer = null;       // a save scheduled after typing
  var retryTimer = null;
  var failures = 0;
  var refused = false;    // the server says the application can no longer be changed
  var leaving = false;
  var expired = false;    // the last save found the sign-in expired
  var changedNames = {};  // fields changed on this page and not yet sent
  var sendingNames = {};  // fields the save on its way carries

  function text(name) { return box.getAttribute("data-text-" + name) || ""; }

  function show(state, extra) {
    box.setAttribute("data-state", state);
    var words = state === "saved" ? text("saved") + (extra ? " " + extra : "")
      : state === "failed" ? (extra || text("failed"))
      : text(state);
    statusEl.textContent = words;
    retryButton.hidden = state !== "failed" || refused;
  }

  // The token of the page, unless signing in again (in another tab) gave the browser a new one:
  // then the new one, also for the button's own save.
  function csrfToken() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match && input) { input.value = decodeURIComponent(match[1]); }
    return input ? input.value : "";
  }

  // ---- conditional questions ----------------------------------------------------------------
  function answerOf(name) {
    var fields = form.elements.namedItem(name);
    if (!fields) { return ""; }
    if (fields.tagName === "SELECT" || fields.tagName === "INPUT" && fields.type !== "radio") {
      return fields.value;
    }
    var list = fields.length !== undefined ? fields : [fields];
    for (var i = 0; i < list.length; i++) {
      if (list[i].checked) { return list[i].value; }
    }
    return "";
  }

  function applyConditions() {
    var questions = form.querySelectorAll("[data-show-when]");
    for (var i = 0; i < questions.length; i++) {
      var question = questions[i];
      var controller = document.getElementById("q-" + question.getAttribute("data-show-when"));
      var applies = !(controller && controller.hidden) &&
        answerOf(question.getAttribute("data-show-when")) === question.getAttribute("data-show-value");
      question.hidden = !applies;
    }
  }

  // The field names its error list in aria-describedby only while the list says something.
  function describeBy(input, id, on) {
    var ids = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (x) {
      return x && x !== id;
    });
    if (on) { ids.push(id); }
    if (ids.length) { input.setAttribute("aria-describedby", ids.join(" ")); } else { input.removeAttribute("aria-describedby"); }
  }

  // ---- the server's answer ----------------------------------------------------------------
  function putErrors(data) {
    var lists = form.querySelectorAll("ul.errorlist[data-errors-for]");
    for (var i = 0; i < lists.length; i++) {
      var name = lists[i].getAttribute("data-errors-for");
      var errors = (data.errors || {})[name] || [];
      lists[i].textContent = "";
      for (var j = 0; j < errors.length; j++) {
        var item = document.createElement("li");
        item.textContent = errors[j];
        lists[i].appendChild(item);
      }
      lists[i].hidden = errors.length === 0;
      var input = form.elements.namedItem(name);
      if (input && input.setAttribute) {
        if (errors.length) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
        describeBy(input, lists[i].id, errors.length > 0);
      }
    }
    // The summary of a full-page answer goes: each error now stands once, beside its field.
    var summary = form.querySelector(".error-summary");
    if (summary) { summary.parentNode.removeChild(summary); }
    var general = document.getElementById("autosave-errors");
    if (!general) {
      general = document.createElement("ul");
      general.id = "autosave-errors";
      general.className = "errorlist";
      box.parentNode.insertBefore(general, box);
    }
    general.textContent = "";
    (data.non_field_errors || []).forEach(function (message) {
      var item = document.createElement("li");
      item.textContent = message;
      general.appendChild(item);
    });
  }

  function putVerdict(html) {
    var panel = document.getElementById("verdict-panel");
    if (!panel || !html) { return; }
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var fresh = holder.querySelector("#verdict-panel");
    if (fresh) { panel.parentNode.replaceChild(fresh, panel); }
  }

  // ---- which fields this page changed ----------------------------------------------------
  function names(sets) {
    var all = {};
    sets.forEach(function (set) { Object.keys(set).forEach(function (name) { all[name] = true; }); });
    return Object.keys(all).join(",");
  }

  function named(body, list) {
    body.set("autosave_fields", list);
    return body;
  }

  // ---- saving -----------------------------------------------------------------------------
  function send() {
    clearTimeout(timer);
    clearTimeout(retryTimer);
    timer = retryTimer = null;
    dirty = false;
    show("saving");
    var token = csrfToken();
    sendingNames = changedNames;
    changedNames = {};
    var body = named(new FormData(form), names([sendingNames]));
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: {"X-Duixian-Autosave": "1", "X-CSRFToken": token, "Accept": "application/json"}
    }).then(function (response) {
      if (response.status === 403 || response.redirected && response.url.indexOf("/accounts/") !== -1) {
        // Signed out meanwhile: the typed values stay on the page; 重试 after signing in again.
        expired = true;
        throw {userMessage: text("expired")};
      }
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (response.status === 409) {
          refused = true;
          throw {userMessage: data.message || text("failed")};
        }
        if (!response.ok || !data.saved) { throw {userMessage: ""}; }
        return data;
      });
    }).then(function (data) {
      failures = 0;
      expired = false;
      sendingNames = {};
      putErrors(data);
      putVerdict(data.verdict_html);
      if (!dirty) { show("saved", data.saved_at); }
    }, function (error) {
      dirty = true;  // what this save carried is still unsaved: the next save sends it again
      changedNames = Object.assign({}, sendingNames, changedNames);
      sendingNames = {};
      failures += 1;
      show("failed", (error && error.userMessage) || "");  // never a browser's own (English) text
      if (!refused) {
        retryTimer = setTimeout(save, RETRY_DELAYS[Math.min(failures, RETRY_DELAYS.length) - 1]);
      }
    });
  }

  // Save now, after the save on its way (if any); resolves when nothing unsaved is left or a
  // save failed.
  function save() {
    if (refused) { return Promise.resolve(); }
    if (inflight) {
      return inflight.then(function () { return dirty && failures === 0 ? save() : null; });
    }
    if (!dirty) { return Promise.resolve(); }
    inflight = send().then(function () {
      inflight = null;
      if (dirty && failures === 0 && !timer) { return save(); }
      return null;
    });
    return inflight;
  }

  function changed(event, delay) {
    var name = event.target && event.target.name;
    if (name) { changedNames[name] = true; }
    dirty = true;
    if (!inflight) { show("pending"); }
    clearTimeout(timer);
    timer = setTimeout(function () { timer = null; save(); }, delay);
  }

  form.addEventListener("input", function (event) {
    if (event.target.type === "radio" || event.target.type === "checkbox" || event.target.tagName === "SELECT") { return; }
    changed(event, TYPING_DELAY);
  });
  form.addEventListener("change", function (event) {
    applyConditions();
    changed(event, 0);
  });
  retryButton.addEventListener("click", function () {
    failures = 0;
    dirty = true;
    save();
  });

  // The button saves the whole form itself; let a save on its way land first, so that it
  // cannot arrive after the button's save and overwrite it.
  form.addEventListener("submit", function (event) {
    if (expired) {  // the button's save would land on the sign-in page and lose the typing
      event.preventDefault();
      show("failed", text("expired"));
      return;
    }
    leaving = true;  // the button's own save carries everything: no beacon, no warning
    clearTimeout(timer);
    clearTimeout(retryTimer);
    timer = retryTimer = null;
    var list = form.querySelector("input[name=autosave_fields]");
    if (!list) {
      list = document.createElement("input");
      list.type = "hidden";
      list.name = "autosave_fields";
      form.appendChild(list);
    }
    list.value = names([changedNames, sendingNames]);
    if (!inflight) { return; }
    event.preventDefault();
    var done = function () { list.value = names([changedNames]); form.submit(); };
    inflight.then(done, done);
  });

  // A link away waits for the save; closing the tab sends what is unsaved as a beacon.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || event.defaultPrevented || link.target || event.button !== 0 ||
        event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) { return; }
    // A link within this page (跳到正文, an error's anchor) leaves nothing: it works as ever,
    // and closing the tab later still warns and sends what is unsaved.
    if (link.hash && link.origin === window.location.origin && link.pathname === window.location.pathname &&
        link.search === window.location.search) { return; }
    if (!dirty && !inflight) { return; }
    event.preventDefault();
    var go = function () { leaving = true; window.location.href = link.href; };
    save().then(function () {
      if (dirty && !refused) { show("failed"); return; }  // still unsaved: stay, and say so
      go();
    }, go);
  });
  window.addEventListener("pagehide", function () {
    if (leaving || refused || (!dirty && !inflight) || !navigator.sendBeacon) { return; }
    navigator.sendBeacon(url, named(new FormData(form), names([changedNames, sendingNames])));
  });
  window.addEventListener("beforeunload", function (event) {
    if (leaving || refused || (!dirty && !inflight)) { return; }
    event.preventDefault();
    event.returnValue = "";
  });

  applyConditions();
})();
