"""Sign-in, sign-up, the account pages and /me/, for every persona: in the site's layout, Japanese
punctuation (no colon after a label, no ASCII ? or : after Japanese text), each error beside its field,
the password rules where aria-describedby points, no id twice, the API tokens behind a link."""

import re
from html.parser import HTMLParser

import pytest

from conftest import PERSONAS
from kyodo.core.models import User

pytestmark = pytest.mark.django_db

JAPANESE_THEN_ASCII = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e][?:]")


class Page(HTMLParser):
    """The parts of a page these tests read: every element by id, label texts, visible text."""

    VOID = {"input", "br", "meta", "link", "img", "hr", "source"}

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.elements: dict[str, dict] = {}
        self.labels: list[str] = []
        self.text: list[str] = []
        self._stack: list[dict] = []
        self._skip = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        element = {"tag": tag, "attrs": attrs, "text": "", "children": []}
        if self._stack:
            self._stack[-1]["children"].append(element)
        if "id" in attrs:
            self.ids.append(attrs["id"])
            self.elements[attrs["id"]] = element
        if tag in ("script", "style", "title"):
            self._skip += 1
        if tag not in self.VOID:
            self._stack.append(element)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "title"):
            self._skip -= 1
        while self._stack:
            element = self._stack.pop()
            if element["tag"] == "label":
                self.labels.append(" ".join(element["text"].split()))
            if element["tag"] == tag:
                break

    def handle_data(self, data):
        for element in self._stack:
            element["text"] += data
        if not self._skip:
            self.text.append(data)

    @property
    def visible_text(self) -> str:
        return " ".join("".join(self.text).split())


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return Page(response.content.decode())


def assert_site_page(html_page: Page, path: str) -> None:
    assert "main" in html_page.ids, path  # the site's layout: header, <main id="main">, footer
    assert len(html_page.ids) == len(set(html_page.ids)), f"{path}: an id used twice"
    for label in html_page.labels:
        assert not label.endswith((":", "：")), (path, label)
    assert not JAPANESE_THEN_ASCII.search(html_page.visible_text), (
        path,
        JAPANESE_THEN_ASCII.findall(html_page.visible_text),
    )


SIGNED_OUT_PAGES = ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
SIGNED_IN_PAGES = [
    "/me/",
    "/me/developer/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/logout/",
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_account_pages_are_site_pages_for_every_persona(client_for, persona, prefix):
    client = client_for(persona)
    pages = SIGNED_OUT_PAGES if persona == "anonymous" else SIGNED_IN_PAGES
    for path in pages:
        assert_site_page(page(client, prefix + path), prefix + path)
    if persona == "anonymous":
        for path in SIGNED_IN_PAGES[:2]:
            response = client.get(prefix + path)
            assert response.status_code == 302
            assert response["Location"].startswith(f"{prefix}/accounts/login/?next=")


def test_sign_up_asks_for_a_name_and_says_what_the_account_is_for(client, location):
    html_page = page(client, "/en/accounts/signup/")
    assert html_page.elements["id_name"]["attrs"].get("autocomplete") == "name"
    assert html_page.ids.index("id_name") < html_page.ids.index("id_email")
    text = html_page.visible_text
    assert "A consultation with a coordinator needs no account" in text
    assert "/consultation/" in html_page.elements["why-account"]["text"] or any(
        "/consultation/" in str(e["attrs"].get("href")) for e in _descendants(html_page, "main")
    )


def _descendants(html_page, element_id):
    todo = [html_page.elements[element_id]]
    while todo:
        element = todo.pop()
        yield element
        todo.extend(element["children"])


def _field_of(html_page, field_id):
    """The .field block that holds the widget `field_id`."""
    for element in _descendants(html_page, "main"):
        if "field" in (element["attrs"].get("class") or "").split() and any(
            child["attrs"].get("id") == field_id for child in element["children"]
        ):
            return element
    raise AssertionError(f"no field block for {field_id}")


def test_each_sign_up_error_is_beside_its_own_field(client, location):
    response = client.post(
        "/en/accounts/signup/",
        {
            "name": "",
            "email": "not-an-address",
            "password1": "a-long-pass-1234",
            "password2": "another-pass-99",
        },
    )
    assert response.status_code == 200
    html_page = Page(response.content.decode())
    for field_id in ("id_name", "id_email", "id_password2"):
        block = _field_of(html_page, field_id)
        errors = [c for c in block["children"] if "errorlist" in (c["attrs"].get("class") or "")]
        assert errors and errors[0]["text"].strip(), field_id
        described = html_page.elements[field_id]["attrs"]["aria-describedby"].split()
        assert f"{field_id}_error" in described, field_id
    assert not User.objects.exists()
    # What was typed is kept (not the passwords).
    assert html_page.elements["id_email"]["attrs"]["value"] == "not-an-address"


def test_sign_up_stores_the_name(client, location):
    response = client.post(
        "/accounts/signup/",
        {
            "name": " 金沢 花子 ",
            "email": "hanako@example.jp",
            "password1": "a-long-pass-1234",
            "password2": "a-long-pass-1234",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="hanako@example.jp").name == "金沢 花子"


@pytest.mark.parametrize(
    "path,field", [("/accounts/signup/", "id_password1"), ("/accounts/password/change/", "id_password1")]
)
def test_the_password_rules_are_what_aria_describedby_names(client_for, path, field):
    client = client_for("member_a" if "change" in path else "anonymous")
    html_page = page(client, path)
    [described] = html_page.elements[field]["attrs"]["aria-describedby"].split()
    rules = html_page.elements[described]
    assert rules["tag"] == "ul"
    items = [c for c in rules["children"] if c["tag"] == "li"]
    assert len(items) >= 3 and all(i["text"].strip() for i in items)


def test_a_wrong_password_is_said_at_the_top_of_the_form(client, member_a):
    response = client.post("/en/accounts/login/", {"login": member_a.email, "password": "wrong"})
    html = response.content.decode()
    assert 'id="error-summary" role="alert" tabindex="-1" data-error-summary' in html
    summary = html.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    assert "not correct" in summary


def test_a_rejected_sign_up_lists_each_error_in_the_summary_with_a_link(client):
    response = client.post("/en/accounts/signup/", {"email": "not-an-address", "password1": "x"})
    html = response.content.decode()
    assert "data-error-summary" in html
    for field in ("id_name", "id_email"):
        assert f'<a href="#{field}">' in html


def test_my_page_links_to_the_api_tokens_and_shows_none_of_them(client_for):
    client = client_for("member_a")
    html = client.get("/en/me/").content.decode()
    assert "Bearer" not in html and "Create a token" not in html
    assert 'href="/en/me/developer/"' in html
    developer = client.get("/en/me/developer/").content.decode()
    assert "<code>Authorization: Bearer &lt;token&gt;</code>" in developer
    assert "<token>" not in developer
    client.post("/me/tokens/", {"name": "script"})
    assert "your API tokens" in client.get("/en/me/").content.decode()


def test_no_two_fields_share_an_id_on_my_pages(client_for):
    client = client_for("member_a")
    for path in ("/me/", "/me/developer/"):
        ids = page(client, path).ids
        assert len(ids) == len(set(ids)), path
    assert "token_name" in page(client, "/me/developer/").ids
