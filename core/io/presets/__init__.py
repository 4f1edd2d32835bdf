"""Mappings shipped with elect for the layouts users meet most (``--preset NAME``)."""

from __future__ import annotations

from ...errors import SelectionError


def preset_names() -> list[str]:
    from importlib.resources import files

    return sorted(
        p.name[: -len(".toml")] for p in files(__package__).iterdir() if p.name.endswith(".toml")
    )


def load_preset(name: str):
    """The :class:`~elect.core.io.mapping.Mapping` of a shipped preset."""
    from importlib.resources import files

    import tomllib

    from ..mapping import mapping_from_dict

    key = name.strip().lower().replace("_", "-")
    if key not in preset_names():
        raise SelectionError(
            f"unknown preset {name!r}",
            hint=f"presets: {', '.join(preset_names())}; or describe the layout with --map FILE",
        )
    text = files(__package__).joinpath(f"{key}.toml").read_text(encoding="utf-8")
    m = mapping_from_dict(tomllib.loads(text), source=f"preset {key}", name=key)
    m.origin = f"preset {key}"
    return m
