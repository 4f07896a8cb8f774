/* The book's own script, added on every page by book/_ext/gru_site.py (read its docstring).

   1. The sidebar and page-contents buttons work on every width; a link in the drawer or the
      contents panel closes it.
   2. Printed outputs that read as prose wrap; printed tables keep their columns and scroll.
   3. A table that does not fit its column on a narrow screen is stacked: one block per row,
      each cell under its column's heading.
   4. Every box that scrolls sideways says so: a fade on the side where more content is.
*/
(function () {
  "use strict";

  function whenReady(callback) {
    if (document.readyState !== "loading") callback();
    else document.addEventListener("DOMContentLoaded", callback);
  }

  /* 1. Navigation. Both themes bind their handlers to the FIRST .primary-toggle and
     .secondary-toggle of the page (document.querySelector), which are the ones in pydata's header,
     hidden at every width under sphinx-book-theme; the buttons a reader sees do nothing. Forward
     their clicks to the bound buttons, so that the themes' own behaviour runs: on a wide screen
     sphinx-book-theme collapses or restores the sidebar, on a narrow one pydata opens the drawer. */
  function forwardToggles() {
    [".primary-toggle", ".secondary-toggle"].forEach(function (selector) {
      var buttons = Array.prototype.slice.call(document.querySelectorAll(selector));
      var bound = buttons[0];
      buttons.slice(1).forEach(function (button) {
        button.addEventListener("click", function (event) {
          event.preventDefault();
          event.stopPropagation();
          bound.click();
        });
      });
    });
  }

  /* pydata opens the drawer and the contents panel as modal dialogs and closes them only on Escape
     or a tap beside them: a tap on a section of this page scrolled the page behind a panel that
     stayed open. Close the panel once the link has done its work. */
  function closeDrawersOnLinks() {
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("dialog[open] a[href]");
      if (!link) return;
      var dialog = link.closest("dialog");
      setTimeout(function () { if (dialog.open) dialog.close(); }, 0);
    });
  }

  /* 2. Printed outputs. A line with two runs of two or more spaces between words is a column of
     a printed table (or of an array); an output with such lines keeps its layout and scrolls.
     Any other output is prose ("Correct: ...", "Not yet: ...") and wraps at the box's edge. */
  var TABULAR = /\S {2,}\S.*\S {2,}\S|^\s*[\[(]|\t/;

  function wrapProseOutputs(root) {
    root.querySelectorAll(".cell_output .output pre").forEach(function (pre) {
      var lines = pre.textContent.split("\n");
      var tabular = lines.some(function (line) { return TABULAR.test(line); });
      pre.classList.toggle("gru-wrap", !tabular);
    });
  }

  /* 3. Tables. A table of numbers (most body cells start with a digit) keeps its grid and scrolls,
     its first column pinned on a narrow screen. Any other table with three or more columns is
     "stackable": each body cell gets its column's heading as a label, and where it does not fit
     on a narrow screen it gets the class gru-stacked, which the CSS lays out as one block per row. */
  var NUMBER = /^[\s(]*[-+\u2212]?[\d.]/;

  function labelTables(root) {
    root.querySelectorAll("table").forEach(function (table) {
      var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      var cells = Array.prototype.slice.call(table.querySelectorAll("tbody td"));
      var numbers = cells.filter(function (td) { return NUMBER.test(td.textContent); }).length;
      if (cells.length && numbers >= cells.length / 2) {
        table.classList.add("gru-grid");
        return;
      }
      if (heads.length < 3) return;
      table.classList.add("gru-stackable");
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, column) {
          // <td><span class=gru-cell-label>heading</span><div class=gru-cell-value>content</div></td>:
          // the label shows only when the table is stacked, and until then the value box is
          // display: contents, so the table looks as it did.
          var value = document.createElement("div");
          value.className = "gru-cell-value";
          while (cell.firstChild) value.appendChild(cell.firstChild);
          if (heads[column]) {
            var label = document.createElement("span");
            label.className = "gru-cell-label";
            label.textContent = heads[column];
            cell.appendChild(label);
          }
          cell.appendChild(value);
        });
      });
    });
  }

  var NARROW = window.matchMedia("(max-width: 767.98px)");

  function stackTables(root) {
    var tables = Array.prototype.slice.call(root.querySelectorAll("table.gru-stackable"));
    tables.forEach(function (table) { table.classList.remove("gru-stacked"); });
    tables.filter(function (table) {
      return NARROW.matches && table.getBoundingClientRect().width > table.parentElement.clientWidth + 1;
    }).forEach(function (table) { table.classList.add("gru-stacked"); });
  }

  /* 4. Scroll cues. */
  var SCROLLERS = [
    "pre",
    ".pst-scrollable-table-container",
    "div.math > mjx-container",
    "span.math",
    "mjx-container[display='true']",
  ].join(",");

  // Measure first, then write: a class set between two measurements makes the browser lay the
  // page out again for the next one (hundreds of times on a chapter full of maths).
  function measureCue(box) {
    var more = box.scrollWidth - box.clientWidth;
    var scrolls = more > 1 && /auto|scroll/.test(getComputedStyle(box).overflowX);
    return { box: box, scrolls: scrolls, left: scrolls && box.scrollLeft > 1, right: scrolls && box.scrollLeft < more - 1 };
  }

  function showCue(cue) {
    cue.box.classList.toggle("gru-scrolls", cue.scrolls);
    cue.box.classList.toggle("gru-more-left", cue.left);
    cue.box.classList.toggle("gru-more-right", cue.right);
  }

  function watchScrollers(root) {
    var boxes = Array.prototype.slice.call(root.querySelectorAll(SCROLLERS));
    boxes.forEach(function (box) {
      if (!box.dataset.gruCue) {
        box.dataset.gruCue = "1";
        box.addEventListener("scroll", function () { showCue(measureCue(box)); }, { passive: true });
      }
    });
    boxes.map(measureCue).forEach(showCue);
  }

  function layout() {
    var root = document.querySelector(".bd-article") || document.body;
    stackTables(root);
    watchScrollers(root);
    document.documentElement.classList.add("gru-laid-out");
  }

  // For the browser test: lay the page out again now (it waits for MathJax first).
  window.gruSite = { layout: layout };

  whenReady(function () {
    forwardToggles();
    closeDrawersOnLinks();
    var root = document.querySelector(".bd-article") || document.body;
    wrapProseOutputs(root);
    labelTables(root);
    layout();
    var pending = null;
    function later() {
      if (pending) cancelAnimationFrame(pending);
      pending = requestAnimationFrame(function () { pending = null; layout(); });
    }
    window.addEventListener("resize", later);
    window.addEventListener("load", later);
    // MathJax typesets after this runs: lay out again once it has.
    var waited = 0;
    (function whenTypeset() {
      if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
        MathJax.startup.promise.then(later);
      } else if (waited++ < 100) {
        setTimeout(whenTypeset, 100);
      }
    })();
  });
})();
