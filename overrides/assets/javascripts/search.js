/* tsunagu site search: Japanese queries as people type them.
   The query is normalised like the index (width, case, katakana -> hiragana, long-vowel mark
   dropped), its hiragana rewritten in the written forms the site's words are read as (「おやの
   かいご」 -> 親の介護), split into words with Intl.Segmenter, expanded with the site's variants
   and everyday synonyms (data/search.yml), and matched by substring against page titles, headings
   and text, weighted by rarity. */
(function (root) {
  "use strict";

  // -- pure part (also loaded by Node in the tests) ---------------------------------------
  var STOP = ["の", "を", "が", "に", "は", "と", "で", "へ", "も", "や", "から", "まで", "より", "って", "とは",
    "について", "こと", "もの", "ため", "たい", "したい", "ほしい", "です", "ます", "ある", "いる", "する", "した",
    "して", "なら", "どう", "どこ", "なに", "何", "か", "な", "ね", "よ", "ない", "いい", "よい", "ください", "。", "、", "?", "？", "!", "！",
    "てる", "ている", "でいる", "けど", "だけど", "でも", "など", "だれ", "いつ"];

  // NFKC (width), lower case and the long-vowel mark dropped; katakana kept (fold) or made
  // hiragana too (norm). tsunagu/site/search.py's normalise() is norm(): the tests hold them equal.
  function fold(s) {
    return String(s).normalize("NFKC").toLowerCase().replace(/\u30fc/g, "");
  }
  function norm(s) {
    return fold(s).replace(/[\u30a1-\u30f6]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0x60); });
  }

  // Words of the query, each with where it starts. A lone kanji the segmenter split off is joined
  // back to its neighbour (高齢/者 -> 高齢者, 見/守り -> 見守り): a suffix to the word before,
  // otherwise to the word after. spans: parts of q that are one word whatever the segmenter says
  // (it cuts kana it does not know anywhere: き/し/ろ, ひき/こ/も/り).
  var SUFFIX = "者的性化費等用";
  function segmentAt(q, spans) {
    var out = [];
    if (typeof Intl !== "undefined" && Intl.Segmenter) {
      var seg = new Intl.Segmenter("ja", { granularity: "word" });
      var it = seg.segment(q)[Symbol.iterator](), step;
      while (!(step = it.next()).done) { out.push({ w: step.value.segment, word: step.value.isWordLike, at: step.value.index }); }
    } else {
      var re = /[^\s、。・の]+/g, m;
      while ((m = re.exec(q))) out.push({ w: m[0], word: true, at: m.index });
    }
    (spans || []).forEach(function (span) {
      var first = -1, last = -1;
      out.forEach(function (x, i) {
        if (x.at < span.end && x.at + x.w.length > span.at) { if (first < 0) first = i; last = i; }
      });
      if (first < 0) return;
      var at = Math.min(out[first].at, span.at), end = Math.max(out[last].at + out[last].w.length, span.end);
      out.splice(first, last - first + 1, { w: q.slice(at, end), word: true, at: at });
    });
    var words = [];
    for (var i = 0; i < out.length; i++) {
      var w = out[i].w, kanji = w.length === 1 && /[\u4e00-\u9fff]/.test(w);
      if (!out[i].word) continue;
      if (kanji && SUFFIX.indexOf(w) >= 0 && words.length && out[i - 1] && out[i - 1].word) {
        words[words.length - 1].w += w;
      } else if (kanji && out[i + 1] && out[i + 1].word && STOP.indexOf(out[i + 1].w) < 0) {
        out[i + 1] = { w: w + out[i + 1].w, word: true, at: out[i].at };
      } else {
        words.push({ w: w, at: out[i].at });
      }
    }
    return words.filter(function (x) { return x.w && STOP.indexOf(x.w) < 0 && !/^[\u3041-\u3096]$/.test(x.w); });
  }
  function segment(q) {
    return segmentAt(q).map(function (x) { return x.w; });
  }

  // -- readings: hiragana typed for the site's kanji words ----------------------------------
  // The index's readings map a reading to the written forms of the site's words read so (the
  // commonest first; search.yml's words too). Each run of hiragana in the query is split into
  // readings, particles and kana left as typed at the least cost (dynamic programming over the run:
  // each position tries the readings and particles that start there and the kana after it, so the
  // work grows with the square of the run, which MAX_RUN bounds), and each reading is written in its
  // commonest form. Katakana is never rewritten (a word typed in katakana is a loan word), nor a
  // name a page title holds in hiragana (ひだまり, すずらん).
  var READ = 0.8;          // a spelling found through its reading weighs less than one typed
  var MAX_RUN = 60;        // hiragana of one run rewritten; the rest of a longer run stays as typed
  var MAX_RUNS = 8;        // runs of one query rewritten
  var MAX_ALTERNATIVES = 8; // other forms of the query tried against search.yml (機関 or 期間 …)
  var KANA_STOP = STOP.filter(function (w) { return /^[\u3041-\u3096]+$/.test(w); });

  function split(run, readings, longest) {
    // cost[i]: the cheapest reading of run[i:]. A reading costs 1, a particle 0.4, kana left as
    // typed 1 and 0.5 for each further character: おやの is 親 + の (1.4), not kana (2); が + つらい
    // (2.4), not がつらい (2.5); on a tie the kana stay as typed (せんた, not 線 + た; つらい, not
    // つ + 来)
    var n = run.length, cost = new Array(n + 1), step = new Array(n + 1);
    cost[n] = 0;
    for (var i = n - 1; i >= 0; i--) {
      cost[i] = Infinity;
      for (var typed = 1; i + typed <= n; typed++) {
        var t = cost[i + typed] + 0.5 + 0.5 * typed;
        if (t < cost[i]) { cost[i] = t; step[i] = { len: typed }; }
      }
      for (var len = 1; len <= Math.max(longest, 4) && i + len <= n; len++) {
        var piece = run.substr(i, len), stop = KANA_STOP.indexOf(piece) >= 0;
        var reading = !stop && len >= 2 && Object.prototype.hasOwnProperty.call(readings, piece);
        var c = cost[i + len] + (stop ? 0.4 : 1);
        if ((stop || reading) && c < cost[i] - 1e-9) {
          cost[i] = c; step[i] = reading ? { len: len, forms: readings[piece] } : { len: len, stop: true };
        }
      }
    }
    var pieces = [];
    for (var j = 0; j < n; j += step[j].len) pieces.push({ kana: run.substr(j, step[j].len), forms: step[j].forms, stop: step[j].stop });
    return pieces;
  }

  // The run, or the run without a particle at either end, when it is a name: 3 or more kana a page
  // title holds as they stand, not all of them particles and readings (ひだまり, すずらん; not
  // している): {at, kana}; else null.
  function named(run, index) {
    var tries = [];
    KANA_STOP.forEach(function (w) {
      if (run.length - w.length >= 3 && run.slice(-w.length) === w) tries.push(run.slice(0, -w.length));
    });
    tries.concat([run]).forEach(function (t) {
      KANA_STOP.forEach(function (w) { if (t.length - w.length >= 3 && t.slice(0, w.length) === w) tries.push(t.slice(w.length)); });
    });
    tries.push(run);
    for (var i = 0; i < tries.length; i++) {
      var t = tries[i];
      if (t.length >= 3 && index.pages.some(function (p) { return p.nt.indexOf(t) >= 0; }) &&
          split(t, index.readings, index.longest).some(function (piece) { return !piece.forms && !piece.stop; })) {
        return { at: run.indexOf(t), kana: t };
      }
    }
    return null;
  }

  // The query with its hiragana written in forms: {text, spans}, each span {at, end} a part of
  // text that is one word: a form that replaced typed kana (with the kana and every form of that
  // reading), or kana kept as typed (forms null).
  function rewrite(typed, index) {
    var readings = index && index.readings, out = "", spans = [], pos = 0, runs = 0, m;
    if (!readings) return { text: typed, spans: spans };
    var longest = index.longest || 0, re = /[\u3041-\u3096]{2,}/g;
    while ((m = re.exec(typed)) && runs < MAX_RUNS) {
      var run = m[0].slice(0, MAX_RUN);
      runs++;
      out += typed.slice(pos, m.index);
      pos = m.index + run.length;
      var name = named(run, index);
      if (name) {  // a name in a title: ひだまり, すずらん (with particles: 「ひだまりの場所」)
        if (name.at) out += run.slice(0, name.at);
        spans.push({ at: out.length, end: out.length + name.kana.length, kana: name.kana, forms: null });
        out += run.slice(name.at);
        continue;
      }
      var kept = "";
      split(run, readings, longest).concat([{ kana: "", forms: null, stop: true }]).forEach(function (piece) {
        if (!piece.forms && !piece.stop) { kept += piece.kana; return; }
        if (kept.length >= 2) spans.push({ at: out.length, end: out.length + kept.length, kana: kept, forms: null, kept: true });
        out += kept; kept = "";
        if (!piece.forms) { out += piece.kana; return; }
        spans.push({ at: out.length, end: out.length + piece.forms[0].length, kana: piece.kana, forms: piece.forms });
        out += piece.forms[0];
      });
    }
    return { text: out + typed.slice(pos), spans: spans };
  }

  // At most this many spellings are searched for one query: the query's own words (and their
  // variants) first, then everyday-word expansions, then the two-character pieces of a word found
  // nowhere. Each spelling is a scan of every page, so a search.yml entry with thousands of words
  // cannot freeze the visitor's tab (the README's search section states the same number).
  var MAX_TERMS = 40;

  // Terms: each a list of alternative spellings, with a weight. Synonym keys match longest
  // first and consume what they match, so 「高齢の親」 is not also read as 「親」. index: the index
  // (its readings rewrite the query's hiragana); without it the query is taken as typed.
  function terms(query, words, index) {
    var typed = fold(query).trim(), q = norm(typed), list = [], seen = {}, expanded = 0, read = {};
    var written = rewrite(typed, index), q2 = norm(written.text);
    // the query as typed, as written, and written with a span's other forms (機関 / 期間 / 基幹)
    var forms = [q];
    if (q2 !== q) forms.push(q2);
    var spans = written.spans.filter(function (span) { return span.forms; });
    spans.forEach(function (span) {
      span.forms.slice(1).forEach(function (f) {
        if (forms.length < 2 + MAX_ALTERNATIVES) forms.push(norm(written.text.slice(0, span.at) + f + written.text.slice(span.end)));
      });
    });
    function holds(w) { return forms.some(function (f) { return f.indexOf(w) >= 0; }); }
    function add(alts, weight, own) {
      var key = alts.slice().sort().join("|");
      if (!seen[key]) { seen[key] = 1; list.push({ alts: alts, w: weight, own: own }); }
    }
    // a spelling that only the query's written form leads to (not typed) weighs as read
    function reached(alts, typedToo) {
      if (!typedToo) alts.forEach(function (a) { if (q.indexOf(a) < 0) read[a] = 1; });
    }
    var covered = "";
    words.variants.forEach(function (group) {
      if (!group.some(holds)) return;
      add(group, 1, true); covered += group.join(" ") + " ";
      reached(group, group.some(function (w) { return q.indexOf(w) >= 0; }));
    });
    var keys = [], rest = forms.slice();
    words.synonyms.forEach(function (pair, i) { pair[0].forEach(function (w) { keys.push([w, i]); }); });
    keys.sort(function (a, b) { return b[0].length - a[0].length; });
    keys.forEach(function (k) {
      if (!rest.some(function (r) { return r.indexOf(k[0]) >= 0; })) return;
      reached(words.synonyms[k[1]][1], rest[0].indexOf(k[0]) >= 0);
      rest = rest.map(function (r) { return r.split(k[0]).join(" "); });
      // a one-character word (親) is a weak clue, and so are its expansions (父親, 母親)
      var weight = k[0].length === 1 ? 0.3 : 0.7;
      words.synonyms[k[1]][1].forEach(function (m) { if (expanded < MAX_TERMS) { expanded++; add([m], weight, false); } });
    });
    // kana kept as typed is one word; written forms are split as if typed (学校に行けない: 学校, 行け)
    segmentAt(written.text, written.spans.filter(function (span) { return !span.forms && !span.kept; })).forEach(function (x) {
      var w = norm(x.w), end = x.at + x.w.length;
      if (!w || STOP.indexOf(w) >= 0 || covered.indexOf(w) >= 0) return;
      // 高齢者 also finds 高齢, 8050問題 also finds 8050: common suffixes are optional
      var stem = w.replace(/(者|さん|様|的|性|化|問題|について)$/, "");
      var alts = stem !== w && stem.length >= 2 ? [w, stem] : [w];
      var inside = spans.filter(function (s) { return s.at < end && s.end > x.at; });
      if (inside.length) {
        // written from kana: the kana as typed first, then the forms (read, so weighing less)
        var whole = inside.every(function (s) { return s.at >= x.at && s.end <= end; });
        var kana = "", at = x.at;
        inside.forEach(function (s) { kana += written.text.slice(at, s.at) + s.kana; at = s.end; });
        kana = norm(kana + written.text.slice(at, end));
        var others = inside.length === 1 && inside[0].at === x.at && inside[0].end === end ? inside[0].forms.slice(1).map(norm) : [];
        alts = (whole && kana.length >= 2 ? [kana] : []).concat(alts, others)
          .filter(function (a, i, all) { return all.indexOf(a) === i; });
        alts.forEach(function (a) { if (a !== kana && q.indexOf(a) < 0) read[a] = 1; });
      }
      add(alts, w.length === 1 ? 0.4 : 1, true);
    });
    return { query: q, written: q2, read: read, list: bounded(list, q) };
  }

  // The terms within MAX_TERMS spellings, in their order, the query's own words kept first. A
  // variant group too large for the room left keeps the spellings the query holds.
  function bounded(list, q) {
    var room = MAX_TERMS, keep = [];
    [true, false].forEach(function (own) {
      list.forEach(function (term, i) {
        if (term.own !== own || room <= 0) return;
        var alts = term.alts;
        if (alts.length > room) {
          alts = alts.filter(function (a) { return q.indexOf(a) >= 0; })
            .concat(alts.filter(function (a) { return q.indexOf(a) < 0; })).slice(0, room);
        }
        keep[i] = { alts: alts, w: term.w, own: term.own };
        room -= alts.length;
      });
    });
    return keep.filter(Boolean);
  }

  function spellings(list) {
    return list.reduce(function (n, term) { return n + term.alts.length; }, 0);
  }

  function prepare(index) {
    var total = 0, longest = 0;
    index.pages.forEach(function (p) {
      p.nt = norm(p.t); p.nh = norm(p.h.join(" ")); p.nx = norm(p.x); total += p.nx.length;
    });
    index.avg = total / Math.max(1, index.pages.length);
    index.readings = index.readings || {};
    Object.keys(index.readings).forEach(function (r) { if (r.length > longest) longest = r.length; });
    index.longest = longest;
    return index;
  }

  function count(text, word) {
    var n = 0, i = text.indexOf(word);
    while (i >= 0 && n < 20) { n++; i = text.indexOf(word, i + word.length); }
    return n;
  }

  function search(index, query, limit) {
    var t = terms(query, index.words, index), pages = index.pages, N = pages.length;
    if (!t.query) return [];
    // a word found nowhere is tried as its two-character pieces, as many as MAX_TERMS leaves room
    // for (the query's own words first)
    var room = MAX_TERMS - spellings(t.list), pieces = [];
    [true, false].forEach(function (own) {
      t.list.forEach(function (term, k) {
        // (not a word of hiragana alone: two of its kana are in any text)
        if (term.own !== own || term.alts.length > 1 || term.alts[0].length < 3 || room <= 0 ||
            /^[\u3041-\u3096]+$/.test(term.alts[0])) return;
        var found = pages.some(function (p) { return p.nt.indexOf(term.alts[0]) >= 0 || p.nx.indexOf(term.alts[0]) >= 0; });
        if (found) return;
        pieces[k] = [];
        for (var i = 0; i + 2 <= term.alts[0].length && i <= room; i++) {
          pieces[k].push({ alts: [term.alts[0].substr(i, 2)], w: term.w * 0.5 });
        }
        room -= pieces[k].length - 1;
      });
    });
    var list = [];
    t.list.forEach(function (term, k) { list = pieces[k] ? list.concat(pieces[k]) : list.concat([term]); });
    var scored = [];
    var idf = list.map(function (term) {
      var df = pages.filter(function (p) {
        return term.alts.some(function (a) { return p.nt.indexOf(a) >= 0 || p.nx.indexOf(a) >= 0; });
      }).length;
      return df ? Math.log(1 + N / df) : 0;
    });
    pages.forEach(function (p) {
      var score = 0, hit = 0, total = 0;
      list.forEach(function (term, k) {
        total += term.w;
        var best = 0;
        term.alts.forEach(function (a) {
          // BM25 for the text (long pages do not win by length), plus the title and headings; a
          // spelling found through its reading weighs less than the spelling typed
          var tf = count(p.nx, a), norm_len = 1 - 0.75 + 0.75 * p.nx.length / index.avg;
          var s = (p.nt.indexOf(a) >= 0 ? 6 : 0) + (p.nh.indexOf(a) >= 0 ? 1 : 0) + (tf * 2.2) / (tf + 1.2 * norm_len);
          if (t.read[a]) s *= READ;
          if (s > best) best = s;
        });
        if (best > 0) { hit += term.w; score += term.w * idf[k] * best; }
      });
      if (!score) return;
      // the whole query, as typed or as written from its kana, in the title or the text
      if (p.nt.indexOf(t.query) >= 0 || p.nt.indexOf(t.written) >= 0) score *= 1.5;
      else if ((t.query.length > 3 && p.nx.indexOf(t.query) >= 0) || (t.written.length > 3 && p.nx.indexOf(t.written) >= 0)) score *= 2;
      score *= 0.4 + 0.6 * (hit / total);
      scored.push({ page: p, score: score });
    });
    scored.sort(function (a, b) { return b.score - a.score || a.page.t.length - b.page.t.length; });
    var shown = scored.slice(0, limit || 10).map(function (r) {
      return { url: r.page.u, title: r.page.t, snippet: snippet(r.page, list) };
    });
    shown.total = scored.length;  // how many pages matched, of which these are the first
    return shown;
  }

  function snippet(page, list) {
    var at = -1;
    list.some(function (term) {
      return term.alts.some(function (a) { at = page.nx.indexOf(a); return at >= 0; });
    });
    if (at < 0) return page.x.slice(0, 80);
    var start = Math.max(0, at - 30);
    return (start > 0 ? "…" : "") + page.x.slice(start, start + 90) + (start + 90 < page.x.length ? "…" : "");
  }

  var api = { norm: norm, segment: segment, rewrite: rewrite, terms: terms, prepare: prepare, search: search, MAX_TERMS: MAX_TERMS };
  if (typeof module !== "undefined" && module.exports) { module.exports = api; return; }
  root.tsunaguSearch = api;

  // -- the page: header box, results under it ----------------------------------------------
  var box = document.querySelector("[data-ts-search]");
  if (!box) return;
  var form = box.querySelector("form"), input = box.querySelector("input"), panel = box.querySelector(".ts-search__panel");
  var list = box.querySelector("[data-search-results]"), status = box.querySelector("[role=status]");
  var shownCount = box.querySelector("[data-search-count]"), all = box.querySelector("[data-search-all]");
  // The index's page URLs are from the site's root, where search/ sits: the root is read from the
  // index's URL (the form's action is "./" on the search page itself). The URL is made absolute so
  // that it ends in search/index.json on every page, as the offline copy's shim (tsunagu/outputs/offline.py)
  // expects; there the form names search/index.html and the index gives index.html URLs.
  var indexUrl = new URL(form.getAttribute("data-index"), location.href).href;
  var base = indexUrl.replace(/search\/index\.json$/, "");
  var loading = null, timer = null;

  function load() {
    if (!loading) {
      loading = fetch(indexUrl).then(function (r) { return r.json(); }).then(prepare);
    }
    return loading;
  }

  function fill(ol, results) {
    ol.innerHTML = "";
    results.forEach(function (r) {
      var li = document.createElement("li"), a = document.createElement("a"), p = document.createElement("p");
      a.href = base + r.url; a.textContent = r.title; a.className = "ts-search__title";
      p.textContent = r.snippet; p.className = "ts-search__snippet";
      li.appendChild(a); li.appendChild(p); ol.appendChild(li);
    });
  }

  // the search page (search/?q=...) listing every result; form.action is that page, offline too
  function allResultsUrl(query) {
    return form.action.replace(/[?#].*$/, "") + "?q=" + encodeURIComponent(query);
  }

  function show(query) {
    if (!query.trim()) {
      panel.hidden = all.hidden = true; list.innerHTML = ""; status.textContent = shownCount.textContent = ""; return;
    }
    load().then(function (index) {
      if (input.value !== query) return;
      var results = search(index, query, 10);
      fill(list, results);
      panel.hidden = false;
      var n = results.total || results.length;
      // more than the panel lists: a link to them all, first in the panel so that one Tab reaches it
      all.hidden = !(n > results.length);
      all.firstChild.href = allResultsUrl(query);
      all.firstChild.textContent = "すべての結果を見る（" + n + " 件）";
      // the live region (outside the panel, present from the start) and the panel say the same
      shownCount.textContent = status.textContent = !results.length
        ? "「" + query + "」に当てはまるページは見つかりませんでした。ことばを変えるか、相談先一覧をご覧ください。"
        : "「" + query + "」の検索結果: " + (n > results.length ? n + " 件中 " + results.length + " 件を表示" : n + " 件");
      box.setAttribute("data-search-done", query);
    });
  }

  input.addEventListener("focus", load);
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { show(input.value); }, 120);
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); show(input.value); });
  // The panel covers the page under the header: it closes on Escape and when focus leaves the
  // search box (WCAG 2.4.11), and opens again when the box is focused with results in it.
  box.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && !panel.hidden) { e.stopPropagation(); panel.hidden = true; escaped = true; input.focus(); escaped = false; }
  });
  box.addEventListener("focusout", function (e) {
    if (!e.relatedTarget || !box.contains(e.relatedTarget)) panel.hidden = true;
  });
  var escaped = false;  // focus back in the box after Escape: the panel stays closed
  input.addEventListener("focus", function () {
    if (!escaped && input.value.trim() && shownCount.textContent && box.getAttribute("data-search-done") === input.value) panel.hidden = false;
  });
  document.addEventListener("click", function (e) { if (!box.contains(e.target)) panel.hidden = true; });
  // The search page lists every result for ?q= in the article (without JavaScript it offers ways
  // to browse instead); on arrival focus goes to the results' heading, the first result one Tab on.
  // Chromium rings a heading focused by script on a new page however the link was followed: the
  // link says how (a click's detail is 0 from the keyboard), and after a click or tap the heading
  // is focused without the ring (tsunagu.css) until a key is pressed.
  var ARRIVAL = "ts-search-arrival";
  all.addEventListener("click", function (e) {
    try { sessionStorage.setItem(ARRIVAL, e.detail ? "pointer" : "keyboard"); } catch (_) { /* the ring shows */ }
  });
  var page = document.querySelector("[data-ts-search-page]");
  function showAll(query) {
    var out = page.querySelector("[data-search-page-results]");
    load().then(function (index) {
      var results = search(index, query, index.pages.length);
      var h = document.createElement("h2"), ol = document.createElement("ol");
      h.tabIndex = -1;
      h.textContent = "「" + query + "」の検索結果: " + results.length + " 件";
      out.innerHTML = "";
      out.appendChild(h);
      if (results.length) {
        ol.className = "ts-search__results ts-search-page__results";
        fill(ol, results);
        out.appendChild(ol);
      } else {
        var none = document.createElement("p");
        none.textContent = "当てはまるページは見つかりませんでした。ことばを変えて、画面の上の検索欄でもう一度探すか、下の一覧からページを探してください。";
        out.appendChild(none);
      }
      out.hidden = false;
      document.title = "「" + query + "」の検索結果 - " + document.title;
      var arrived = null;
      try { arrived = sessionStorage.getItem(ARRIVAL); sessionStorage.removeItem(ARRIVAL); } catch (_) { /* as above */ }
      if (arrived === "pointer") {
        h.setAttribute("data-ts-arrived", "pointer");
        document.addEventListener("keydown", function () { h.removeAttribute("data-ts-arrived"); }, true);
      }
      h.focus();
      page.setAttribute("data-search-done", query);
    });
  }
  if (page) [].forEach.call(page.querySelectorAll("[data-search-page-js]"), function (e) { e.hidden = false; });
  var q = new URLSearchParams(location.search).get("q");
  if (q && q.trim()) {
    input.value = q;
    if (page) showAll(q); else show(q);
  }
})(this);
