"""The catalogs kept in the repository: extract every message from the sources (Python and
templates, with Babel), merge them into each language's .po, and list what is missing."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from wordofmouth.i18n import DOMAIN, LANGUAGES, catalog_path

PACKAGE = Path(__file__).resolve().parent.parent
METHODS = [("web/templates/**.html", "jinja2.ext:babel_extract"), ("**.py", "python")]
OPTIONS = {"web/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
# The form helpers' third argument is a field's label (web/forms.py), translated there.
KEYWORDS = {"_": None, "gettext": None, "N_": None, "ngettext": (1, 2), "money": (3,),
            "decimal": (3,), "integer": (3,), "_int": (3,)}
SKIPPED = ("migrations/",)


def extract() -> Catalog:
    """Every message the sources mark, with where it is used."""
    template = Catalog(domain=DOMAIN, project="wordofmouth", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
            str(PACKAGE), METHODS, options_map=OPTIONS, keywords=KEYWORDS):
        if filename.startswith(SKIPPED):
            continue
        template.add(message, None, [(filename, lineno)], auto_comments=comments,
                     context=context)
    return template


def read(language: str) -> Catalog:
    path = catalog_path(language)
    if not path.exists():
        return Catalog(locale=language, domain=DOMAIN, charset="utf-8")
    with path.open("rb") as po:
        return read_po(po, locale=language, domain=DOMAIN)


def update(language: str) -> Path:
    """Merge the sources' messages into the language's catalog (new ones untranslated,
    gone ones dropped) and write it back."""
    catalog = read(language)
    catalog.update(extract(), no_fuzzy_matching=True)
    catalog.obsolete.clear()
    path = catalog_path(language)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as po:
        write_po(po, catalog, width=100, sort_output=True, include_previous=False)
    return path


def missing(language: str) -> list[str]:
    """The sources' messages the language's catalog does not translate (or marks fuzzy)."""
    catalog = read(language)
    out = []
    for message in extract():
        if not message.id:
            continue
        found = catalog.get(message.id, context=message.context)
        strings = found.string if found else None
        texts = strings if isinstance(strings, tuple) else (strings,)
        if found is None or found.fuzzy or not all(texts):
            out.append(message.id if isinstance(message.id, str) else message.id[0])
    return out


def translated_languages() -> tuple[str, ...]:
    return tuple(lang for lang in LANGUAGES if lang != "en")
