"""Mappings shipped with elect for the layouts users meet most (``--preset NAME``)."""

from __future__ import annotations

import re

from ...errors import SelectionError
from ..headers import normalise_header


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
            hint=f"presets: {', '.join(preset_names())}; or describe the layout in a mapping",
            fix=("map", "FILE.toml"),
        )
    text = files(__package__).joinpath(f"{key}.toml").read_text(encoding="utf-8")
    m = mapping_from_dict(tomllib.loads(text), source=f"preset {key}", name=key)
    m.origin = f"preset {key}"
    return m


def signature_matches(signature: dict[str, list[str]], headers: list[str]) -> bool:
    """Whether a header row carries a shipped layout's signature.

    ``all``: normalised headers that must all be present; ``match``: patterns that
    must each match some header; ``none``: patterns no header may match. Patterns
    are searched in the lower-cased header and in its normalised form.
    """
    if not signature:
        return False
    norm = [normalise_header(h) for h in headers]
    forms = [*norm, *(str(h).strip().lower() for h in headers)]
    if not all(name in norm for name in signature.get("all", [])):
        return False
    for pattern in signature.get("match", []):
        if not any(re.search(pattern, f) for f in forms):
            return False
    return not any(re.search(p, f) for p in signature.get("none", []) for f in forms)


def _presets() -> list:
    return [load_preset(name) for name in preset_names()]


def choose_preset(headers: list[str]):
    """The shipped layout whose header signature this file carries (at most one)."""
    found = [m for m in _presets() if signature_matches(m.signature, headers)]
    if len(found) != 1:
        return None
    chosen = found[0]
    chosen.origin = f"layout {chosen.name} (header signature)"
    return chosen
