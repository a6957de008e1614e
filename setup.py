"""Only one thing pyproject.toml cannot say: resources/ sits beside app/ (the design card's layout), and
an installed (non-editable) Hearth needs its style sheets and icons inside the package. Wheels get a copy
at app/resources; an editable install and a checkout read resources/ in place (app/ui/resources.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

RESOURCES = Path(__file__).resolve().parent / "resources"


class BuildWithResources(build_py):
    def run(self) -> None:
        super().run()
        if not self.editable_mode:
            shutil.copytree(RESOURCES, Path(self.build_lib) / "app" / "resources", dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildWithResources})
