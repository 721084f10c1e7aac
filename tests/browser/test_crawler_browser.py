"""The crawler: every demo role opens every page it can reach from its menus and from one case
of each kind, one person and one permit, in Chromium at 1024 px under zh-hans, and every page
must read as Chinese an officer understands.

A page fails on: a server error; a Content-Security-Policy violation; a Python value or a raw
code in the visible text (``True``, ``None``, ``[...]``, ``{...}``, quotes, ``snake_case``, a bare
area code); an English sentence left untranslated; a table cell narrower than its longest word
(the per-character wrapping of the first wave). Text a person types or reads as-is — user
names, file names — is marked ``translate="no"`` in the templates and skipped; so is the
language switch (``lang="en"``).
"""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

from hukou_portal.casework.models import Case
from permits.models import ResidencePermit
from tests.browser.demo import sign_in_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = [
    "yuehe_officer",
    "yuehe_supervisor",
    "yuehe_admin",
    "yuehe_auditor",
    "city_admin",
    "city_secadmin",
    "city_analyst",
]
MAX_PAGES_PER_ROLE = 90

# Links the crawler does not follow: they leave, download, sign out, or are not pages.
SKIP = re.compile(r"/download/|\.svg$|\.json$|/api/|/static/|/i18n/|/sign-out|/admin/|/export|\.csv|\.xlsx")

PYTHON_VALUE = re.compile(r"(?<![\w-])(True|False|None)(?![\w-])|[\[\]{}]|'[^'\s]{1,40}'")
RAW_CODE = re.compile(r"(?<![\w./:@-])[a-z]{2,}(?:_[a-z0-9]+)+(?![\w.@-])")
BARE_AREA_CODE = re.compile(r"(?<![\w-])3[1-4]\d{4}(?![\w*-])")
ENGLISH_SENTENCE = re.compile(r"[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){2,}")

VISIBLE_TEXT_JS = """() => {
  const clone = document.body.cloneNode(true);
  clone.querySelectorAll('[translate="no"], [lang]:not([lang^="zh"]), script, style, code, .visually-hidden')
       .forEach(node => node.remove());
  // innerText needs layout: measure the live page, minus the skipped parts.
  const skip = new Set(document.querySelectorAll(
      '[translate="no"], [lang]:not([lang^="zh"]), code, .visually-hidden'));
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    let el = node.parentElement, hidden = false;
    while (el) { if (skip.has(el)) { hidden = true; break; } el = el.parentElement; }
    if (hidden) continue;
    const parent = node.parentElement;
    if (!parent || !parent.offsetParent && getComputedStyle(parent).position !== 'fixed') continue;
    const text = node.textContent.trim();
    if (text) texts.push(text);
  }
  const attrs = [...document.querySelectorAll('[placeholder], [title], [aria-label], input[type=submit]')]
      .filter(el => !el.closest('[translate="no"], [lang]:not([lang^="zh"])'))
      .map(el => [el.getAttribute('placeholder'), el.getAttribute('title'), el.getAttribute('aria-label'),
                  el.type === 'submit' ? el.value : null].filter(Boolean).join(' '));
  return texts.concat(attrs).join('\\n');
}"""

NARROW_CELLS_JS = """() => {
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d');
  const narrow = [];
  for (const cell of document.querySelectorAll('td, th')) {
    if (!cell.offsetParent || cell.closest('[translate="no"]')) continue;
    const style = getComputedStyle(cell);
    const size = parseFloat(style.fontSize);
    let longest = 0;
    // Each word measured in the font it is drawn in; codes and untranslated text are left out.
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const parent = walker.currentNode.parentElement;
      if (!parent || parent.closest('code, [translate="no"]')) continue;
      ctx.font = getComputedStyle(parent).font;
      for (const word of walker.currentNode.textContent.split(/[\\s、，,；;：:（）()\\/·|→]+/)) {
        if (word) longest = Math.max(longest, ctx.measureText(word).width);
      }
    }
    const need = Math.min(longest, 6 * size);  // a long CJK phrase may wrap, but not per character
    const room = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const text = cell.innerText.trim().slice(0, 30);
    if (room + 1 < need) narrow.push(`${text} (${Math.round(room)}px < ${Math.round(need)}px)`);
  }
  return narrow;
}"""


def _seeds(username: str) -> list[str]:
    """One case of each kind, its applicant and one permit, for the roles that see cases."""
    if not username.endswith(("_officer", "_supervisor")):
        return []
    urls = []
    cases = Case.objects.filter(office__users__username=username).order_by("kind", "-pk")
    seen: set[str] = set()
    for case in cases:
        if case.kind not in seen:
            seen.add(case.kind)
            urls += [f"/cases/{case.pk}/", f"/people/{case.applicant_id}/"]
    permit = ResidencePermit.objects.order_by("pk").first()
    if permit is not None:
        urls.append(f"/permits/{permit.pk}/")
    return urls


def _problems(page: Page, url: str) -> list[str]:
    text = page.evaluate(VISIBLE_TEXT_JS)
    found: list[str] = []
    for name, pattern in [
        ("Python value", PYTHON_VALUE),
        ("raw code", RAW_CODE),
        ("bare area code", BARE_AREA_CODE),
        ("English", ENGLISH_SENTENCE),
    ]:
        for match in pattern.finditer(text):
            line = text[max(0, match.start() - 30) : match.end() + 30].replace("\n", " ⏎ ")
            found.append(f"{url}: {name} {match.group(0)!r} in …{line}…")
    found += [f"{url}: narrow cell {cell}" for cell in page.evaluate(NARROW_CELLS_JS)]
    return list(dict.fromkeys(found))[:5]  # the first few of each page say enough


@pytest.mark.parametrize("username", ROLES)
def test_every_reachable_page_reads_as_chinese(page: Page, live_server, demo, username, csp_violations):
    page.set_viewport_size({"width": 1024, "height": 900})
    base = live_server.url
    sign_in_demo(page, base, username)
    queue = ["/", *_seeds(username)]
    menu = page.eval_on_selector_all("nav a[href]", "links => links.map(a => a.getAttribute('href'))")
    queue += [href for href in menu if href.startswith("/")]
    visited: set[str] = set()
    problems: list[str] = []
    while queue and len(visited) < MAX_PAGES_PER_ROLE:
        path = queue.pop(0)
        if path in visited or SKIP.search(path):
            continue
        visited.add(path)
        response = page.goto(base + path)
        assert response is not None
        if response.status >= 500:
            problems.append(f"{path}: HTTP {response.status}")
            continue
        if response.status != 200 or urlsplit(page.url).path.startswith(("/accounts/sign-in", "/accounts/second")):
            continue
        problems += _problems(page, path)
        links = page.eval_on_selector_all("main a[href]", "links => links.map(a => a.getAttribute('href'))")
        queue += [href for href in links if href.startswith("/") and href not in visited]
    assert len(visited) >= 3, visited
    assert csp_violations == []
    assert problems == [], "\n".join(problems[:60])
