"""An admin change page's form, read as a browser would post it: for tests that go through
the real admin views."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    """The fields of one form as a browser would post them, unchanged."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.data = form_id, False, []
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "button", "file"}:
            if attrs.get("type") not in {"checkbox", "radio"} or "checked" in attrs:
                self.data.append((name, attrs.get("value", "on" if "checked" in attrs else "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data.append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data.append((name, ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            name, text = self.data.pop()
            self.data.append((name, text + data))


def admin_form(client, url: str, form_id: str) -> dict:
    """GET an admin change page and return its form's data, ready to change and POST."""
    response = client.get(url)
    assert response.status_code == 200
    reader = _FormReader(form_id)
    reader.feed(response.content.decode())
    data: dict = {}
    for name, value in reader.data:
        if name in data:  # a multiple select
            data[name] = [*(data[name] if isinstance(data[name], list) else [data[name]]), value]
        else:
            data[name] = value.removeprefix("\n")  # the newline browsers drop after <textarea>
    data["_save"] = "Enregistrer"
    return data
