/* Chapter 11's explorer of one GRU step, live on the static site (added on every page by
   book/_ext/gru_site.py; it acts only where a chapter has a <div class="gru-explorer">).

   In a running notebook the chapter builds the explorer with ipywidgets, and the step is computed
   by gru_lesson (explorer_step in gru_lesson/exercises/ch11_gates_at_work.py). A static page has
   no kernel, so the same step is computed here: one input, one hidden unit, every weight 1, the
   notes' update convention. tests/test_browser.py moves the sliders and checks the numbers shown
   against explorer_step.

       a_r = x_t + h_{t-1} + b_r            r_t = sigmoid(a_r)
       a_z = x_t + h_{t-1} + b_z            z_t = sigmoid(a_z)
       a_h = x_t + r_t h_{t-1} + b_h        h~_t = tanh(a_h)
       h_t = (1 - z_t) h_{t-1} + z_t h~_t
*/
(function () {
  "use strict";

  function sigmoid(a) { return 1 / (1 + Math.exp(-a)); }

  function step(x, h, b_r, b_z, b_h) {
    var a_r = x + h + b_r, a_z = x + h + b_z;
    var r = sigmoid(a_r), z = sigmoid(a_z);
    var a_h = x + r * h + b_h;
    var h_cand = Math.tanh(a_h);
    return { a_r: a_r, a_z: a_z, a_h: a_h, r: r, z: z, h_cand: h_cand, h_prev: h, h_t: (1 - z) * h + z * h_cand };
  }

  // The sliders: the same names, ranges and starting values as the notebook's ipywidgets.
  var SLIDERS = [
    { name: "x_t", label: "x<sub>t</sub>", min: -4, max: 4, step: 0.1, value: 0.5 },
    { name: "h_prev", label: "h<sub>t\u22121</sub>", min: -1, max: 1, step: 0.05, value: -0.6 },
    { name: "b_r", label: "b<sub>r</sub>", min: -4, max: 4, step: 0.1, value: 0 },
    { name: "b_z", label: "b<sub>z</sub>", min: -4, max: 4, step: 0.1, value: 0 },
    { name: "b_h", label: "b<sub>h</sub>", min: -4, max: 4, step: 0.1, value: 0 },
  ];
  // The bars: the same order and colours as the chapter's figure of four settings.
  var BARS = [
    { name: "r", label: "r<sub>t</sub>", colour: "#E69F00" },
    { name: "z", label: "z<sub>t</sub>", colour: "#56B4E9" },
    { name: "h_cand", label: "h\u0303<sub>t</sub>", colour: "#009E73" },
    { name: "h_prev", label: "h<sub>t\u22121</sub>", colour: "#999999" },
    { name: "h_t", label: "h<sub>t</sub>", colour: "#0072B2" },
  ];

  // Labels are this file's own constant strings, with <sub> for subscripts.
  function element(tag, className, html) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (html !== undefined) el.innerHTML = html;
    return el;
  }

  function build(box) {
    box.textContent = "";
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "An explorer of one GRU step");
    var inputs = {};
    var controls = element("div", "gru-explorer-controls");
    SLIDERS.forEach(function (s) {
      var id = "gru-explorer-" + s.name;
      var label = element("label", "", s.label);
      label.htmlFor = id;
      var input = element("input");
      input.type = "range";
      input.id = id;
      input.name = s.name;
      input.min = s.min; input.max = s.max; input.step = s.step; input.value = s.value;
      var shown = element("output", "gru-explorer-value");
      shown.htmlFor = id;
      controls.append(label, input, shown);
      inputs[s.name] = { input: input, shown: shown };
    });
    var preactivations = element("p", "gru-explorer-preactivations");
    var bars = element("div", "gru-explorer-bars");
    var shownBars = {};
    BARS.forEach(function (b) {
      var column = element("div", "gru-explorer-column");
      var track = element("div", "gru-explorer-track");
      var bar = element("div", "gru-explorer-bar");
      bar.style.background = b.colour;
      track.appendChild(bar);
      var value = element("output", "gru-explorer-number");
      value.dataset.name = b.name;
      column.append(track, element("span", "gru-explorer-label", b.label), value);
      bars.appendChild(column);
      shownBars[b.name] = { bar: bar, value: value };
    });
    box.append(controls, preactivations, bars);

    function update() {
      var v = {};
      SLIDERS.forEach(function (s) {
        v[s.name] = parseFloat(inputs[s.name].input.value);
        inputs[s.name].shown.textContent = v[s.name].toFixed(2);
      });
      var s = step(v.x_t, v.h_prev, v.b_r, v.b_z, v.b_h);
      preactivations.innerHTML = ["r", "z", "h"].map(function (gate) {
        return "<span>a<sub>" + gate + "</sub> = " + s["a_" + gate].toFixed(2) + "</span>";
      }).join(" ");
      BARS.forEach(function (b) {
        var value = s[b.name];
        var bar = shownBars[b.name].bar;
        // The track spans -1 to 1 with 0 in the middle; a bar grows up or down from 0.
        bar.style.height = (Math.min(Math.abs(value), 1) * 50) + "%";
        bar.style.top = value >= 0 ? (50 - Math.min(value, 1) * 50) + "%" : "50%";
        shownBars[b.name].value.textContent = value.toFixed(3);
      });
    }
    SLIDERS.forEach(function (s) { inputs[s.name].input.addEventListener("input", update); });
    update();
  }

  function start() {
    document.querySelectorAll("div.gru-explorer").forEach(build);
  }

  if (document.readyState !== "loading") start();
  else document.addEventListener("DOMContentLoaded", start);
})();
