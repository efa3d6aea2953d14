/* Kaleidoscope offline player: plays one scenario (window.KALEIDOSCOPE_SCENARIO) with no
 * server, and reports to the learning platform through the SCORM 1.2 runtime API (found in
 * a parent window) or, when launched with cmi5 parameters, to the LRS the LMS names.
 *
 * Reports: cmi.core.lesson_status (incomplete, then passed for a successful ending or
 * completed for any other), cmi.core.score.raw/min/max (the outcome score), and one
 * cmi.interactions.n per decision (id = decision, student_response = choice id).
 * All text shown comes from the package data; scenario prose is pre-rendered safe HTML.
 */
(function () {
  "use strict";
  document.body.className += " js-enabled govuk-frontend-supported";
  var data = window.KALEIDOSCOPE_SCENARIO;
  var T = data.text;
  var root = document.getElementById("k-player").firstElementChild;
  var statusLine = document.getElementById("k-player-status");
  var steps = [{ node: data.start, choice: null }];
  var started = new Date();
  var reporter = null;
  var interactions = 0;

  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return esc(values[key]); });
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function hms(ms) {
    var s = Math.max(0, Math.round(ms / 1000));
    var h = Math.floor(s / 3600);
    return pad(h) + ":" + pad(Math.floor((s % 3600) / 60)) + ":" + pad(s % 60);
  }
  function isoDuration(ms) {
    return "PT" + (Math.max(0, ms) / 1000).toFixed(2) + "S";
  }
  function uuid4() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  /* ---- SCORM 1.2 ------------------------------------------------------------------ */
  function findScormApi(win) {
    for (var tries = 0; win && tries < 10; tries++) {
      try { if (win.API) { return win.API; } } catch (e) { return null; }
      if (win.parent === win) { break; }
      win = win.parent;
    }
    return null;
  }

  function ScormReporter(api) {
    this.api = api;
  }
  ScormReporter.prototype.start = function () {
    var api = this.api;
    api.LMSInitialize("");
    var status = api.LMSGetValue("cmi.core.lesson_status");
    if (!status || status === "not attempted") {
      api.LMSSetValue("cmi.core.lesson_status", "incomplete");
    }
    var count = parseInt(api.LMSGetValue("cmi.interactions._count"), 10);
    interactions = isNaN(count) ? 0 : count;
    api.LMSCommit("");
    return Promise.resolve(true);
  };
  ScormReporter.prototype.answered = function (decisionId, choice) {
    var api = this.api;
    var base = "cmi.interactions." + interactions + ".";
    api.LMSSetValue(base + "id", decisionId);
    api.LMSSetValue(base + "type", "choice");
    api.LMSSetValue(base + "student_response", choice.id);
    api.LMSSetValue(base + "result", "neutral");
    api.LMSSetValue(base + "time", hms(new Date() - new Date().setHours(0, 0, 0, 0)));
    interactions += 1;
    api.LMSCommit("");
    return Promise.resolve(true);
  };
  ScormReporter.prototype.ended = function (ending) {
    var api = this.api;
    api.LMSSetValue("cmi.core.score.min", "0");
    api.LMSSetValue("cmi.core.score.max", String(data.score_max));
    api.LMSSetValue("cmi.core.score.raw", String(ending.score));
    api.LMSSetValue("cmi.core.lesson_status", ending.success ? "passed" : "completed");
    api.LMSSetValue("cmi.core.session_time", hms(new Date() - started));
    api.LMSSetValue("cmi.core.exit", "");
    var ok = api.LMSCommit("");
    return Promise.resolve(ok === true || ok === "true");
  };
  ScormReporter.prototype.finish = function () {
    try { this.api.LMSFinish(""); } catch (e) { /* the LMS frame may be gone */ }
  };

  /* ---- cmi5 (xAPI to the LMS's LRS) ------------------------------------------------ */
  var CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5";
  var MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon";
  var SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid";

  function Cmi5Reporter(params) {
    this.endpoint = params.get("endpoint").replace(/\/?$/, "/");
    this.fetchUrl = params.get("fetch");
    this.actor = JSON.parse(params.get("actor"));
    this.registration = params.get("registration");
    this.activityId = params.get("activityId");
    this.session = uuid4();
    this.auth = null;
    this.queue = Promise.resolve(true);
  }
  Cmi5Reporter.prototype.context = function (cmi5, extra) {
    var ctx = {
      registration: this.registration,
      contextActivities: { category: [{ id: data.xapi.profile }] },
      extensions: {},
    };
    ctx.extensions[SESSION] = this.session;
    if (cmi5) {
      ctx.contextActivities.category.push({ id: CMI5 });
      if (extra) { ctx.contextActivities.category.push({ id: MOVEON }); }
    } else {
      ctx.contextActivities.parent = [{ id: this.activityId }];
    }
    return ctx;
  };
  Cmi5Reporter.prototype.send = function (statement) {
    var self = this;
    statement.id = uuid4();
    statement.actor = this.actor;
    statement.timestamp = new Date().toISOString();
    this.queue = this.queue.then(function () {
      return fetch(self.endpoint + "statements", {
        method: "POST",
        headers: {
          "Authorization": self.auth,
          "Content-Type": "application/json",
          "X-Experience-API-Version": "1.0.3",
        },
        body: JSON.stringify([statement]),
      }).then(function (r) { return r.ok; }, function () { return false; });
    });
    return this.queue;
  };
  Cmi5Reporter.prototype.verb = function (name, id) {
    return { id: id || data.xapi.verbs[name], display: { "en-GB": name } };
  };
  Cmi5Reporter.prototype.au = function () {
    return { objectType: "Activity", id: this.activityId, definition: data.xapi.scenario_definition };
  };
  Cmi5Reporter.prototype.start = function () {
    var self = this;
    return fetch(this.fetchUrl, { method: "POST" })
      .then(function (r) { return r.json(); })
      .then(function (body) {
        self.auth = "Basic " + body["auth-token"];
        return self.send({
          verb: self.verb("initialized", "http://adlnet.gov/expapi/verbs/initialized"),
          object: self.au(),
          context: self.context(true, false),
        });
      })
      .catch(function () { return false; });
  };
  Cmi5Reporter.prototype.answered = function (decisionId, choice) {
    var statement = JSON.parse(JSON.stringify(choice.xapi));
    statement.verb = this.verb("answered");
    statement.context = this.context(false, false);
    return this.send(statement);
  };
  Cmi5Reporter.prototype.ended = function (ending) {
    var elapsed = new Date() - started;
    var self = this;
    var done = this.send({
      verb: this.verb("completed"),
      object: this.au(),
      result: { completion: true, duration: isoDuration(elapsed) },
      context: this.context(true, true),
    });
    if (ending.success) {
      done = this.send({
        verb: this.verb("passed", "http://adlnet.gov/expapi/verbs/passed"),
        object: this.au(),
        result: {
          success: true,
          duration: isoDuration(elapsed),
          score: { scaled: ending.score / data.score_max, raw: ending.score, min: 0, max: data.score_max },
        },
        context: this.context(true, true),
      });
    }
    var outcome = JSON.parse(JSON.stringify(ending.xapi_result));
    outcome.duration = isoDuration(elapsed);
    this.send({
      verb: this.verb("experienced"),
      object: { objectType: "Activity", id: ending.xapi_id, definition: { type: data.xapi.ending_type } },
      result: outcome,
      context: this.context(false, false),
    });
    return done.then(function (ok) {
      return self.send({
        verb: self.verb("terminated", "http://adlnet.gov/expapi/verbs/terminated"),
        object: self.au(),
        result: { duration: isoDuration(new Date() - started) },
        context: self.context(true, false),
      }).then(function (ok2) { return ok && ok2; });
    });
  };
  Cmi5Reporter.prototype.finish = function () {};

  /* ---- drawing ---------------------------------------------------------------------- */
  function current() { return data.nodes[steps[steps.length - 1].node]; }
  function lastChoice() {
    if (steps.length < 2) { return null; }
    var prev = steps[steps.length - 2];
    var node = data.nodes[prev.node];
    if (node.type !== "decision" || !prev.choice) { return null; }
    return node.choices.filter(function (c) { return c.id === prev.choice; })[0];
  }
  function profile() {
    var totals = {};
    data.dimensions.forEach(function (d) { totals[d.id] = 0; });
    steps.forEach(function (step) {
      var node = data.nodes[step.node];
      if (node.type === "decision" && step.choice) {
        node.choices.forEach(function (c) {
          if (c.id === step.choice) {
            Object.keys(c.effects).forEach(function (k) { totals[k] += c.effects[k]; });
          }
        });
      }
    });
    return totals;
  }

  function consequence(choice) {
    var html = '<section class="k-consequence" aria-labelledby="what-happened">' +
      '<h2 class="govuk-heading-m" id="what-happened" tabindex="-1" data-focus>' + esc(T.what_happened) + "</h2>" +
      '<p class="govuk-body"><strong>' + esc(T.you_chose) + "</strong> " + choice.html + "</p>" +
      '<div class="govuk-body k-prose">' + choice.consequence_html + "</div>";
    if (choice.guidance.length) {
      html += '<details class="govuk-details k-guidance"><summary class="govuk-details__summary">' +
        '<span class="govuk-details__summary-text">' + esc(T.guidance) + " (" + choice.guidance.length + ")</span>" +
        '</summary><div class="govuk-details__text"><ul class="govuk-list govuk-list--bullet">';
      choice.guidance.forEach(function (g) {
        var title = g.url ? '<a class="govuk-link" href="' + esc(g.url) + '" rel="noreferrer" target="_blank">' + esc(g.title) + "</a>" : esc(g.title);
        html += "<li>" + title + " (" + esc(g.citation) + "). " + esc(g.summary) + "</li>";
      });
      html += "</ul></div></details>";
    }
    return html + "</section>";
  }

  function speakerHeading(node, fallback) {
    if (!node.speaker) { return esc(fallback); }
    return esc(node.speaker.name) + ' <span class="govuk-caption-m k-inline-caption">' + esc(node.speaker.role) + "</span>";
  }

  function draw(error) {
    var node = current();
    var last = lastChoice();
    var html = '<span class="govuk-caption-l">' + esc(T.caption) + "</span>" +
      '<h1 class="govuk-heading-l" tabindex="-1" id="k-title">' + esc(data.title) + "</h1>";
    if (error) {
      html += '<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert">' +
        '<h2 class="govuk-error-summary__title" tabindex="-1" data-focus>' + esc(T.error_title) + "</h2>" +
        '<div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list">' +
        '<li><a href="#choice-' + esc(node.choices[0].id) + '">' + esc(T.error_choose) + "</a></li></ul></div></div></div>";
    }
    if (last && !error) { html += consequence(last); }
    var focus = last || error ? "" : " data-focus";
    if (node.type === "passage") {
      html += '<h2 class="govuk-heading-m" id="step-heading" tabindex="-1"' + focus + ">" + speakerHeading(node, T.what_happens) + "</h2>" +
        '<div class="govuk-body k-prose">' + node.html + "</div>" +
        '<button type="button" class="govuk-button" data-module="govuk-button" id="k-continue">' + esc(T.continue) + "</button>";
    } else if (node.type === "decision") {
      var asked = node.speaker ? ' <span class="govuk-caption-m k-inline-caption">' + fill(T.asked_by, node.speaker) + "</span>" : "";
      html += '<h2 class="govuk-heading-m" id="step-heading" tabindex="-1"' + focus + ">" + esc(T.decision) + asked + "</h2>" +
        '<form id="k-decision" novalidate><div class="govuk-form-group' + (error ? " govuk-form-group--error" : "") + '">' +
        '<fieldset class="govuk-fieldset"' + (error ? ' aria-describedby="choice-error"' : "") + ">" +
        '<legend class="govuk-fieldset__legend govuk-fieldset__legend--m">' + node.question_html + "</legend>" +
        (error ? '<p id="choice-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ' + esc(T.error_choose) + "</p>" : "") +
        '<div class="govuk-radios" data-module="govuk-radios">';
      node.choices.forEach(function (c) {
        html += '<div class="govuk-radios__item"><input class="govuk-radios__input" id="choice-' + esc(c.id) +
          '" name="choice" type="radio" value="' + esc(c.id) + '"><label class="govuk-label govuk-radios__label" for="choice-' +
          esc(c.id) + '">' + c.html + "</label></div>";
      });
      html += "</div></fieldset></div>" +
        '<button type="submit" class="govuk-button" data-module="govuk-button" id="k-continue">' + esc(T.continue) + "</button></form>";
    } else {
      var totals = profile();
      html += '<h2 class="govuk-heading-m" id="step-heading" tabindex="-1"' + focus + ">" + fill(T.ending, { title: node.title }) + "</h2>" +
        '<p class="govuk-body"><strong class="govuk-tag k-tag-' + esc(node.kind) + '">' + esc(T["ending_tag_" + node.kind]) + "</strong></p>" +
        (node.html ? '<div class="govuk-body k-prose">' + node.html + "</div>" : "") +
        '<h2 class="govuk-heading-m">' + esc(T.debrief) + "</h2>" +
        '<div class="govuk-body k-prose">' + node.debrief_html + "</div>" +
        '<h2 class="govuk-heading-m">' + esc(T.profile) + '</h2><dl class="govuk-body k-profile">';
      data.dimensions.forEach(function (d) {
        var v = totals[d.id];
        html += "<dt>" + esc(d.label) + "</dt><dd>" + (v > 0 ? "+" : "") + v + "</dd>";
      });
      html += "</dl>";
    }
    root.innerHTML = html;
    var target = root.querySelector("[data-focus]");
    if (target && (steps.length > 1 || error)) { target.focus(); }
    wire(node);
  }

  function wire(node) {
    var button = document.getElementById("k-continue");
    if (node.type === "passage") {
      button.addEventListener("click", function () {
        steps.push({ node: node.next, choice: null });
        moved();
      });
    } else if (node.type === "decision") {
      document.getElementById("k-decision").addEventListener("submit", function (event) {
        event.preventDefault();
        var picked = root.querySelector('input[name="choice"]:checked');
        if (!picked) { draw(true); return; }
        var choice = node.choices.filter(function (c) { return c.id === picked.value; })[0];
        steps[steps.length - 1] = { node: steps[steps.length - 1].node, choice: choice.id };
        steps.push({ node: choice.target, choice: null });
        if (reporter) { reporter.answered(steps[steps.length - 2].node, choice); }
        moved();
      });
    }
  }

  function moved() {
    draw(false);
    var node = current();
    if (node.type === "ending") {
      if (!reporter) { return; }
      reporter.ended(node).then(function (ok) {
        statusLine.textContent = ok ? T.recorded : T.not_recorded;
        document.documentElement.setAttribute("data-k-reported", ok ? "yes" : "no");
      });
    }
  }

  /* ---- start ---------------------------------------------------------------------- */
  var params = new URLSearchParams(window.location.search);
  if (params.get("endpoint") && params.get("fetch")) {
    reporter = new Cmi5Reporter(params);
  } else {
    var api = findScormApi(window) || (window.opener ? findScormApi(window.opener) : null);
    if (api) { reporter = new ScormReporter(api); }
  }
  draw(false);
  if (reporter) {
    reporter.start().then(function (ok) {
      document.documentElement.setAttribute("data-k-started", ok ? "yes" : "no");
    });
    window.addEventListener("pagehide", function () { reporter.finish(); });
  } else {
    statusLine.textContent = T.no_platform;
  }
})();
