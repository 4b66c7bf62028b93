"""An administrator uploads each partner organisation's logo (PNG) in the admin: the annual
restitution shows it on its cover and in its colophon, embedded in the edition. Anything else
— any SVG (a drawing can hold scripts, entities, stylesheets and references in more spellings
than a check can list), a JPEG named .png, a broken or too heavy PNG — is refused with a
message next to the field, and nothing is saved."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from partners.logos import LOGO_MAX_BYTES, PNG, logo_type
from partners.models import Organisation, PartnershipRole
from tests.admin_forms import admin_form
from tests.factories import JPEG_BYTES, OrganisationFactory
from tests.reporting_factories import RestitutionFactory, isolate_publishing, year_of_exchanges

pytestmark = pytest.mark.django_db

CLEAN_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    b'viewBox="0 0 40 20"><defs><linearGradient id="g"><stop offset="0" stop-color="#036"/>'
    b'</linearGradient></defs><rect width="40" height="20" fill="url(#g)"/>'
    b'<use xlink:href="#g"/></svg>'
)


def _png(size=(40, 20)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, "#036").save(output, format="PNG")
    return output.getvalue()


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    isolate_publishing(settings, tmp_path)


def test_a_png_is_accepted():
    assert logo_type(_png()) == PNG


# What passed the former SVG check (issue 19): a DOCTYPE or a stylesheet instruction after
# 4 KB, entities in UTF-16, CSS escapes, @font-face. Every SVG is now refused, however clean.
PADDING = b"<!--" + b"x" * 4100 + b"-->"
FORMERLY_ACCEPTED_SVGS = {
    "clean": CLEAN_SVG,
    "doctype-after-4-kb": b'<?xml version="1.0"?>'
    + PADDING
    + b'<!DOCTYPE svg SYSTEM "x.dtd">'
    + CLEAN_SVG,
    "stylesheet-after-4-kb": b'<?xml version="1.0"?>'
    + PADDING
    + b'<?xml-stylesheet href="https://e.org/a.css"?>'
    + CLEAN_SVG,
    "utf-16-entities": (
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE svg [<!ENTITY a "b">]>'
        '<svg xmlns="http://www.w3.org/2000/svg"><text>&a;</text></svg>'
    ).encode("utf-16"),
    "css-escape": b'<svg xmlns="http://www.w3.org/2000/svg"><style>rect{fill:\\75 rl(https://e.org/p)}'
    b"</style><rect/></svg>",
    "font-face": b'<svg xmlns="http://www.w3.org/2000/svg"><style>@font-face{src:local(x)}</style>'
    b"</svg>",
}


@pytest.mark.parametrize("data", FORMERLY_ACCEPTED_SVGS.values(), ids=FORMERLY_ACCEPTED_SVGS.keys())
def test_every_svg_is_refused_with_a_message_saying_to_export_a_png(data):
    with pytest.raises(ValidationError) as error:
        logo_type(data)
    assert error.value.code == "logo_svg"


@pytest.mark.parametrize(
    "data",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><image href="https://example.org/x.png"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
        b'<a x:href="javascript:alert(1)"><rect/></a></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import "https://example.org/a.css";'
        b"</style></svg>",
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(https://e.org/p)"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div/></foreignObject></svg>',
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>&a;</text></svg>',
        b"<html><body>not a logo</body></html>",
        JPEG_BYTES,
        b"\x89PNG\r\n\x1a\n" + b"broken" * 10,
        CLEAN_SVG[:-6] + b"<!--" + b"x" * LOGO_MAX_BYTES + b"--></svg>",
    ],
    ids=[
        "script", "event", "external-image", "javascript-link", "css-import", "css-url",
        "foreign-object", "entities", "html", "jpeg", "broken-png", "too-heavy",
    ],
)  # fmt: skip
def test_anything_else_is_refused(data):
    with pytest.raises(ValidationError):
        logo_type(data)


@pytest.fixture
def savoie_department(partnership):
    organisation = OrganisationFactory(name_fr="Département de la Savoie")
    partnership.roles.create(organisation=organisation, role=PartnershipRole.Role.CARRIER)
    return organisation


def test_the_administrator_uploads_a_logo_shown_on_the_cover_and_colophon(
    client, administrator, officer_savoie, partnership, savoie_department
):
    client.force_login(administrator)
    url = f"/fr/admin/partners/organisation/{savoie_department.pk}/change/"
    data = admin_form(client, url, "organisation_form")
    data["logo"] = SimpleUploadedFile("logo.svg", _png(), content_type="image/svg+xml")

    assert client.post(url, data).status_code == 302

    savoie_department.refresh_from_db()
    assert savoie_department.logo.name.endswith(".png")  # its content's type, not its name
    year_of_exchanges(partnership, exchanges=1)
    RestitutionFactory(partnership=partnership)
    client.force_login(officer_savoie)
    html = client.get("/fr/restitutions/2016/").content.decode()
    cover, colophon = html.split('class="cover"')[1], html.split('class="colophon"')[1]
    assert 'src="data:image/png;base64,' in cover.split("</header>")[0]
    assert 'alt="Département de la Savoie"' in colophon.split("</section>")[0]


def test_an_unsafe_logo_is_refused_next_to_the_field_and_nothing_is_saved(
    client, administrator, savoie_department
):
    client.force_login(administrator)
    url = f"/fr/admin/partners/organisation/{savoie_department.pk}/change/"
    data = admin_form(client, url, "organisation_form")
    data["short_name_fr"] = "CD73"
    data["logo"] = SimpleUploadedFile(
        "logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
    )

    response = client.post(url, data)

    assert response.status_code == 200
    assert "Les logos SVG ne sont pas acceptés" in response.content.decode()
    assert 'value="CD73"' in response.content.decode()  # what was typed is kept
    assert not Organisation.objects.get(pk=savoie_department.pk).logo
