"""Finding the project: its root folder and the artefact folders inside it.

Commands work from any subfolder of a checkout, as git does, or from ``--project DIR``.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from azgraph.errors import InputError
from azgraph.paths import MARKERS, data_names, find_root


class Project(NamedTuple):
    """The folders of one azgraph project (see the README's layout section)."""

    root: Path

    @classmethod
    def discover(cls, start: Path | None = None) -> Project:
        """The nearest folder at or above ``start`` that holds an azgraph project."""
        here = (start or Path.cwd()).resolve()
        root = find_root(str(here))
        if root is not None:
            return cls(Path(root))
        raise InputError(
            f"no azgraph project at or above {here}",
            hint="Run inside a checkout of azgraph, or pass --project DIR.",
        )

    @classmethod
    def at(cls, root: Path) -> Project:
        root = root.resolve()
        missing = [m for m in MARKERS if not (root / m).exists()]
        if missing:
            raise InputError(
                f"not an azgraph project: {', '.join(missing)} missing",
                path=root,
                hint="Point --project at the folder that holds ontology/ and curated/.",
            )
        return cls(root)

    @property
    def seeds_dir(self) -> Path:
        return self.root / "seeds"

    @property
    def curated_dir(self) -> Path:
        return self.root / "curated"

    @property
    def ontology_file(self) -> Path:
        return self.root / "ontology" / "azgraph.ttl"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def dist_dir(self) -> Path:
        return self.root / "dist"

    def data_files(self) -> list[Path]:
        return [self.data_dir / name for name in data_names(str(self.data_dir))]
