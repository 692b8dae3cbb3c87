"""Build hook: compile the gettext catalogs (locales/*/LC_MESSAGES/messages.po) into .mo files in every build.

A wheel and an editable install then carry the compiled catalogs the bot and the scheduler load; the metadata
stays in pyproject.toml.
"""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py

LOCALES = Path("locales")


def compile_catalogs(source: Path, target: Path) -> None:
    """Each `source/<lang>/LC_MESSAGES/*.po` compiled to the same place under `target`."""
    for po in sorted(source.glob("*/LC_MESSAGES/*.po")):
        mo = target / po.relative_to(source).with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as src:
            catalog = read_po(src)
        with mo.open("wb") as out:
            write_mo(out, catalog)


class BuildWithCatalogs(build_py):
    """build_py, then the catalogs compiled into the build (in place for an editable install)."""

    def run(self) -> None:
        super().run()
        target = LOCALES if self.editable_mode else Path(self.build_lib) / LOCALES
        compile_catalogs(LOCALES, target)


setup(cmdclass={"build_py": BuildWithCatalogs})
