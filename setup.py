"""Only one thing pyproject.toml cannot say: resources/ sits beside app/ (the design card's layout), and
an installed (non-editable) Hearth needs its style sheets, icons and translations inside the package.
Wheels get a copy at app/resources, with the translations compiled first (they are build output, not in
git); an editable install and a checkout read resources/ in place (app/ui/resources.py), and `make setup`
compiles their translations."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
RESOURCES = ROOT / "resources"


def compile_translations() -> None:
    # packaging/ is not a package (and "packaging" is a PyPI name), so the script is loaded by its path.
    spec = importlib.util.spec_from_file_location("hearth_i18n_build", ROOT / "packaging" / "i18n.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    script.compile_translations(RESOURCES / "i18n")


class BuildWithResources(build_py):
    def run(self) -> None:
        super().run()
        if not self.editable_mode:
            compile_translations()
            shutil.copytree(
                RESOURCES,
                Path(self.build_lib) / "app" / "resources",
                dirs_exist_ok=True,
                ignore=shutil.ignore_patterns("*.ts"),  # the translators' sources; the app loads the .qm
            )


setup(cmdclass={"build_py": BuildWithResources})
