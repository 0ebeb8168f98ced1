// Search on the search page only: loads the site's own pagefind bundle (the
// index of the page's <html lang>) and lists the tips found. The form also
// works as a plain GET form: ?q=… is searched when the page opens.
(function () {
  var form = document.querySelector(".search-form");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var pagefind = null;
  var latest = 0;
  var timer = null;
  var MAX_RESULTS = 20;

  function message(name, values) {
    var text = form.dataset[name] || "";
    Object.keys(values || {}).forEach(function (key) {
      text = text.split("{" + key + "}").join(values[key]);
    });
    return text;
  }

  function words(text) {
    return text.replace(/\s+/g, " ").trim();
  }

  // Pagefind's excerpt marks the words found with <mark>; keep only text and
  // those marks, so nothing else from the index becomes markup. An ellipsis
  // shows where the excerpt cuts the tip's text.
  function excerpt(html, content) {
    var template = document.createElement("template");
    template.innerHTML = html;
    var p = document.createElement("p");
    p.className = "tip-card__summary";
    var shown = words(template.content.textContent);
    var whole = words(content);
    template.content.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        p.appendChild(mark);
      } else {
        p.appendChild(document.createTextNode(node.textContent));
      }
    });
    if (shown && whole.indexOf(shown) !== 0) p.insertBefore(document.createTextNode("… "), p.firstChild);
    if (shown && whole.slice(-shown.length) !== shown) p.appendChild(document.createTextNode(" …"));
    return p;
  }

  function show(results, query) {
    list.textContent = "";
    results.forEach(function (data) {
      var item = document.createElement("li");
      item.className = "tip-card";
      if (data.meta && data.meta.week) {
        var week = document.createElement("p");
        week.className = "week-label";
        week.textContent = data.meta.week;
        item.appendChild(week);
      }
      var heading = document.createElement("h2");
      heading.className = "tip-card__title";
      var link = document.createElement("a");
      link.href = data.url;
      link.textContent = (data.meta && data.meta.title) || data.url;
      heading.appendChild(link);
      item.appendChild(heading);
      item.appendChild(excerpt(data.excerpt || "", data.content || ""));
      list.appendChild(item);
    });
    var count = results.length;
    var name = count === 0 ? "none" : count === 1 ? "one" : "many";
    status.textContent = message(name, { count: String(count), query: query });
  }

  function load() {
    if (!pagefind) {
      pagefind = import(form.dataset.bundle).then(function (module) {
        return module.init().then(function () {
          return module;
        });
      });
    }
    return pagefind;
  }

  function run(query) {
    var ticket = ++latest;
    query = query.trim();
    if (!query) {
      list.textContent = "";
      status.textContent = "";
      return;
    }
    status.textContent = message("searching");
    load()
      .then(function (module) {
        return module.search(query);
      })
      .then(function (search) {
        return Promise.all(
          search.results.slice(0, MAX_RESULTS).map(function (r) {
            return r.data();
          })
        );
      })
      .then(function (results) {
        if (ticket === latest) show(results, query);
      })
      .catch(function () {
        if (ticket === latest) status.textContent = message("failed");
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var url = new URL(window.location.href);
    url.searchParams.set("q", input.value);
    window.history.replaceState(null, "", url);
    run(input.value);
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      run(input.value);
    }, 250);
  });

  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) {
    input.value = initial;
    run(initial);
  }
})();
