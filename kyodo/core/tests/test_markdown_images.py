"""Member Markdown shows images from the site only: an image from elsewhere (which would tell that site
who reads the page) becomes a link to it, named by its alt text or its address."""

import pytest

from kyodo.core.templatetags.kyodo import render_markdown


@pytest.mark.parametrize(
    ("text", "href"),
    [
        ("![Map](http://tracker.example/pixel.png)", "http://tracker.example/pixel.png"),
        (
            "![Map](https://tracker.example/pixel.png?u=1&v=2)",
            "https://tracker.example/pixel.png?u=1&amp;v=2",
        ),
        ("![Map](//tracker.example/pixel.png)", "//tracker.example/pixel.png"),
        ('<img src="https://tracker.example/p.gif" alt="Map">', "https://tracker.example/p.gif"),
        ('<img src="///tracker.example/p.gif" alt="Map">', "///tracker.example/p.gif"),
        ('<img src="/\\tracker.example/p.gif" alt="Map">', "/\\tracker.example/p.gif"),
        ('<img src="/&#9;/tracker.example/p.gif" alt="Map">', "/\t/tracker.example/p.gif"),
    ],
    ids=["http", "https", "protocol-relative", "raw-html", "triple-slash", "backslash", "tab"],
)
def test_an_image_from_another_site_becomes_a_link_named_by_its_alt(text, href):
    html = render_markdown(text)
    assert "<img" not in html
    assert f'<a href="{href}" rel="noopener noreferrer">Map</a>' in html


def test_an_image_without_alt_is_named_by_its_address():
    html = render_markdown("![](https://tracker.example/p.png)")
    assert html == (
        '<p><a href="https://tracker.example/p.png" rel="noopener noreferrer">'
        "https://tracker.example/p.png</a></p>"
    )


def test_a_data_image_never_loads():
    html = render_markdown(
        '<img src="data:image/png;base64,iVBORw0KGgo=" alt="Dot"> and ![x](data:image/gif;base64,R0)'
    )
    assert "<img" not in html
    assert "data:" not in html
    assert "Dot" in html


def test_an_image_of_the_site_stays_an_image(settings):
    settings.SITE_URL = "https://kyodo.example.jp"
    html = render_markdown("![Room](/media/photos/room.jpg) ![Hall](https://kyodo.example.jp/media/hall.jpg)")
    assert '<img alt="Room" src="/media/photos/room.jpg">' in html
    assert '<img alt="Hall" src="https://kyodo.example.jp/media/hall.jpg">' in html


def test_the_site_url_as_a_prefix_of_another_host_is_not_the_site(settings):
    settings.SITE_URL = "https://kyodo.example.jp"
    html = render_markdown("![x](https://kyodo.example.jp.evil.example/p.png)")
    assert "<img" not in html


def test_an_image_inside_a_link_becomes_its_text_in_that_link():
    html = render_markdown("[![Logo](https://tracker.example/logo.png)](https://group.example/)")
    assert html == '<p><a href="https://group.example/" rel="noopener noreferrer">Logo</a></p>'


def test_alt_text_stays_text():
    html = render_markdown(
        '<img src="https://tracker.example/p.png" alt="&lt;script&gt;alert(1)&lt;/script&gt;">'
    )
    assert "<script" not in html
    assert "&lt;script&gt;" in html
