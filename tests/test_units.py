"""Small pure pieces: phone forms, dates, Markdown escaping, relative URLs, page URLs."""

import datetime as dt

import pytest
from pydantic_core import PydanticCustomError

from tsunagu.data import dates, phone
from tsunagu.site.pages import PageSpec
from tsunagu.site.render import relative_url


@pytest.mark.parametrize("written, display, tel", [
    ("0467-61-3436", "0467-61-3436", "tel:+81-467-61-3436"),
    ("0467613436", "0467-61-3436", "tel:+81-467-61-3436"),
    ("０４６７－６１－３４３６", "0467-61-3436", "tel:+81-467-61-3436"),
    ("(0467) 61-3436", "0467-61-3436", "tel:+81-467-61-3436"),
    ("03-3333-1111", "03-3333-1111", "tel:+81-3-3333-1111"),
    ("090-1234-5678", "090-1234-5678", "tel:+81-90-1234-5678"),
    ("110", "110", "tel:110"),
])
def test_phone_kept_in_one_form_and_shown_from_it(written, display, tel):
    kept = phone.normalise(written)
    assert phone.display(kept) == display
    assert phone.tel_uri(kept) == tel


@pytest.mark.parametrize("bad", ["0467-61-26OO", "12345", "0467-61-34366", "", "電話"])
def test_phone_rejects_malformed(bad):
    with pytest.raises(PydanticCustomError) as info:
        phone.normalise(bad)
    assert info.value.type == "invalid_phone"


@pytest.mark.parametrize("written, wareki, seireki", [
    ("2025-03", "令和7年3月", "2025年3月"),
    ("2019-05-01", "令和元年5月", "2019年5月"),
    ("2019-04", "平成31年4月", "2019年4月"),
    ("２０２４－０４", "令和6年4月", "2024年4月"),
])
def test_month_in_wareki_and_seireki(written, wareki, seireki):
    day = dates.parse_month(written)
    assert dates.wareki_month(day) == wareki
    assert dates.seireki_month(day) == seireki


@pytest.mark.parametrize("bad", ["2025-13", "令和7年3月", "2025/03", "25-03"])
def test_month_rejects_other_forms(bad):
    with pytest.raises(PydanticCustomError):
        dates.parse_month(bad)


@pytest.mark.parametrize("target, page, expected", [
    ("programs/a/", "agencies/x/", "../../programs/a/"),
    ("agencies/#elderly", "agencies/x/", "../#elderly"),
    ("agencies/", "", "agencies/"),
    ("libero/", "agencies/", "../libero/"),
    ("closure/", "closure/", "./"),
])
def test_relative_url(target, page, expected):
    assert relative_url(target, page) == expected


@pytest.mark.parametrize("src, url", [
    ("index.md", ""), ("agencies/index.md", "agencies/"), ("agencies/kishiro.md", "agencies/kishiro/"),
    ("libero.md", "libero/"),
])
def test_page_url(src, url):
    assert PageSpec(src, "x").url == url


def test_htmlfix_mends_materials_html_and_leaves_right_html_alone():
    from tsunagu.site import htmlfix
    page = ('<body><input class="md-toggle" type="checkbox" id="__drawer" autocomplete="off">'
            '<input type="text" autocorrect="off" autocomplete="off">'
            '<label class="md-nav__title" for="__toc">目次</label><label for="__drawer">x</label>'
            '<div data-md-component="skip">\n</div><article class="md-content__inner md-typeset"><h1>t</h1></article>')
    fixed = htmlfix.fix_page(page)
    assert 'type="checkbox" id="__drawer">' in fixed  # autocomplete gone from the checkbox only
    assert '<input type="text" autocomplete="off">' in fixed
    assert 'for="__toc"' not in fixed and 'for="__drawer"' in fixed
    assert '<a href="#ts-main" class="md-skip">本文へ移動</a>' in fixed and 'id="ts-main"' in fixed
    assert htmlfix.fix_page(fixed) == fixed
    banner = htmlfix.error_banner(fixed, ['data/a.yml:3 x: <誤り> (invalid_phone)'])
    assert "&lt;誤り&gt;" in banner and "データに 1 件の誤りがあります" in banner
    assert htmlfix.error_banner(fixed, []) == fixed
