"""JSON Schemas: the canonical input document, and each command's JSON output."""

from __future__ import annotations

from typing import Any

from .model import LEVELS, OPTION_KINDS

# The version of every --json document (schema_version): one number for the whole
# contract, bumped when any document changes shape (CHANGELOG.md says how).
SCHEMA_VERSION = 2


def document(kind: str, **fields: Any) -> dict[str, Any]:
    """A --json document: always an object that opens with its version and kind."""
    return {"schema_version": SCHEMA_VERSION, "kind": kind, **fields}


_COUNT = {"type": ["integer", "null"], "minimum": 0}
_PCT = {"type": ["number", "null"]}
_STR = {"type": ["string", "null"]}

ELECTION_DOCUMENT: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://elect.invalid/schema/election-1.json",
    "title": "elect election document (format_version 1)",
    "description": "One election: its contests, each contest's ballot options and reporting "
    "units. Counts are integers (null = not published); published percentages sit under "
    "'reported' and are never mixed with counts.",
    "type": "object",
    "required": ["contests"],
    "properties": {
        "format": {"const": "elect-election"},
        "format_version": {"const": 1},
        "election": {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "country": _STR,
                "date": _STR,
                "kind": _STR,
                "status": {"enum": ["preliminary", "final"]},
                "note": _STR,
                "sources": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["id"],
                        "properties": {
                            "id": {"type": "string"},
                            "title": _STR,
                            "url": _STR,
                            "note": _STR,
                        },
                    },
                },
            },
        },
        "contests": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/contest"}},
    },
    "$defs": {
        "contest": {
            "type": "object",
            "required": ["options", "units"],
            "properties": {
                "id": {"type": "string"},
                "office": {"type": "string"},
                "district": _STR,
                "rules": {
                    "type": "object",
                    "properties": {
                        "majority": {"enum": ["absolute", "plurality", "unknown"]},
                        "threshold_pct": {"type": "number"},
                        "runoff_size": {"type": "integer", "minimum": 2},
                        "base_kinds": {"type": "array", "items": {"enum": list(OPTION_KINDS)}},
                    },
                },
                "options": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "required": ["id"],
                        "properties": {
                            "id": {"type": "string"},
                            "name": {"type": "string"},
                            "party": _STR,
                            "kind": {"enum": list(OPTION_KINDS)},
                            "aliases": {"type": "array", "items": {"type": "string"}},
                        },
                    },
                },
                "units": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/unit"}},
            },
        },
        "unit": {
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": ["string", "integer"]},
                "name": {"type": "string"},
                "level": {"enum": list(LEVELS)},
                "parent": _STR,
                "abroad": {"type": "boolean"},
                "mission": _STR,
                "country": _STR,
                "code": _STR,
                "registered": _COUNT,
                "ballots_cast": _COUNT,
                "invalid": _COUNT,
                "stations": _COUNT,
                "countries": _COUNT,
                "votes": {"type": "object", "additionalProperties": _COUNT},
                "reported": {
                    "type": "object",
                    "properties": {
                        "turnout_pct": _PCT,
                        "shares_pct": {"type": "object", "additionalProperties": _PCT},
                    },
                },
                "sources": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
                "derived": {"type": "array", "items": {"type": "string"}},
                "aliases": {"type": "array", "items": {"type": "string"}},
                "note": _STR,
            },
        },
    },
}

_META = {
    "type": "object",
    "required": ["name", "status", "sources"],
    "properties": {"name": {"type": "string"}, "status": {"enum": ["preliminary", "final"]}},
}
_CONTEST = {"type": "object", "required": ["id", "office", "name", "rules"]}
_SHARE = {
    "type": "object",
    "required": ["option_id", "name", "kind", "votes", "share_pct", "in_base", "winner"],
    "properties": {
        "option_id": {"type": "string"},
        "votes": _COUNT,
        "share_pct": _PCT,
        "reported_share_pct": _PCT,
        "in_base": {"type": "boolean"},
        "winner": {"type": "boolean"},
    },
}
_OUTCOME = {
    "type": "object",
    "required": ["winner", "decision", "majority_met", "margin_votes", "margin_pp"],
    "properties": {
        "decision": {"enum": ["elected", "runoff", "plurality", "leader", "tie", "undetermined"]},
        "majority_met": {"type": ["boolean", "null"]},
    },
}
_TURNOUT_ROW = {
    "type": "object",
    "required": ["unit_id", "name", "turnout_pct", "origin"],
    "properties": {"turnout_pct": _PCT, "origin": {"enum": ["computed", "reported"]}},
}
_TURNOUT = {
    "type": "object",
    "required": ["top", "highest", "lowest", "abroad", "ranked_regions"],
    "properties": {
        "highest": {"type": "array", "items": _TURNOUT_ROW},
        "lowest": {"type": "array", "items": _TURNOUT_ROW},
        "abroad": {"type": "array", "items": _TURNOUT_ROW},
    },
}
_DIASPORA = {
    "type": "object",
    "required": ["present", "stations", "countries", "registered", "ballots_cast", "turnout_pct"],
}
_ENVELOPE = {"schema_version": {"const": SCHEMA_VERSION}}

_RESULT_ROW = {
    "type": "object",
    "required": [
        "unit_id",
        "name",
        "level",
        "abroad",
        "registered",
        "ballots_cast",
        "valid",
        "turnout_pct",
        "leader",
        "leader_share_pct",
        "runner_up",
        "margin_votes",
        "margin_pp",
        "tie",
        "votes",
        "shares_pct",
    ],
    "properties": {
        "abroad": {"type": "boolean"},
        "registered": _COUNT,
        "ballots_cast": _COUNT,
        "valid": _COUNT,
        "turnout_pct": _PCT,
        "turnout_origin": {"enum": ["computed", "reported", None]},
        "leader": {"type": ["string", "null"]},
        "leader_share_pct": _PCT,
        "margin_votes": _COUNT,
        "margin_pp": _PCT,
        "tie": {"type": "boolean"},
        "votes": {"type": "object", "additionalProperties": _COUNT},
        "shares_pct": {"type": "object", "additionalProperties": _PCT},
    },
}

OUTPUTS: dict[str, dict[str, Any]] = {
    "results": {
        "type": "object",
        "required": [
            "schema_version",
            "kind",
            "election",
            "contest",
            "level",
            "base",
            "units",
            "shown",
            "options",
            "rows",
        ],
        "properties": {
            **_ENVELOPE,
            "kind": {"const": "results"},
            "election": _META,
            "contest": _CONTEST,
            "level": {"enum": ["region", "district", "station"]},
            "units": {"type": "integer", "minimum": 0},
            "shown": {"type": "integer", "minimum": 0},
            "filters": {"type": "array", "items": {"type": "string"}},
            "rows": {"type": "array", "items": _RESULT_ROW},
        },
    },
    "report": {
        "type": "object",
        "required": [
            "schema_version",
            "kind",
            "election",
            "contest",
            "summary",
            "shares",
            "outcome",
            "turnout",
            "diaspora",
            "discrepancies",
            "notes",
        ],
        "properties": {
            **_ENVELOPE,
            "kind": {"const": "report"},
            "election": _META,
            "contest": _CONTEST,
            "summary": {
                "type": "object",
                "required": ["registered", "ballots_cast", "invalid", "valid", "turnout_pct"],
            },
            "shares": {"type": "array", "items": _SHARE},
            "outcome": _OUTCOME,
            "turnout": _TURNOUT,
            "diaspora": _DIASPORA,
            "discrepancies": {"type": "array"},
            "notes": {"type": "array"},
        },
    },
    "shares": {
        "type": "object",
        "required": ["schema_version", "kind", "shares", "outcome", "base", "base_total"],
        "properties": {
            **_ENVELOPE,
            "kind": {"const": "shares"},
            "shares": {"type": "array", "items": _SHARE},
            "outcome": _OUTCOME,
        },
    },
    "turnout": {
        "type": "object",
        "required": ["schema_version", "kind", "turnout", "national_turnout_pct"],
        "properties": {**_ENVELOPE, "kind": {"const": "turnout"}, "turnout": _TURNOUT},
    },
    "diaspora": {
        "type": "object",
        "required": ["schema_version", "kind", "diaspora"],
        "properties": {**_ENVELOPE, "kind": {"const": "diaspora"}, "diaspora": _DIASPORA},
    },
    "vote_types": {
        "type": "object",
        "required": ["schema_version", "kind", "contest", "vote_types", "options"],
        "properties": {
            **_ENVELOPE,
            "kind": {"const": "vote_types"},
            "vote_types": {"type": "array", "items": {"type": "string"}},
            "options": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["option_id", "votes", "by_type", "unexplained"],
                    "properties": {"by_type": {"type": "object", "additionalProperties": _COUNT}},
                },
            },
        },
    },
    "compare": {
        "type": "object",
        "required": [
            "schema_version",
            "kind",
            "a",
            "b",
            "options",
            "nation",
            "regions",
            "unmatched",
        ],
        "properties": {
            **_ENVELOPE,
            "kind": {"const": "compare"},
            "options": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["key", "name", "present", "votes_a", "votes_b", "change_pp"],
                },
            },
            "regions": {"type": "array", "items": {"type": "object"}},
            "unmatched": {"type": "object"},
            "changes": {"type": "array"},
        },
    },
    "reconcile": {
        "type": "object",
        "required": ["schema_version", "kind", "sources", "figures", "faults", "by_kind", "rows"],
        "properties": {
            **_ENVELOPE,
            "kind": {"const": "reconcile"},
            "figures": {"type": "integer", "minimum": 0},
            "faults": {"type": "integer", "minimum": 0},
            "rows": {"type": "array", "items": {"type": "object"}},
        },
    },
    "forensics": {
        "type": "object",
        "required": [
            "schema_version",
            "kind",
            "parameters",
            "leader",
            "stations",
            "distributions",
            "integer_percentages",
            "shpilkin",
            "klimek",
            "digits",
            "by_region",
        ],
        "properties": {
            **_ENVELOPE,
            "kind": {"const": "forensics"},
            "stations": {"type": "integer", "minimum": 0},
            "integer_percentages": {
                "type": "object",
                "required": ["turnout", "leader", "either", "n_replicates", "seed"],
            },
            "shpilkin": {
                "type": "object",
                "required": [
                    "anomalous_votes",
                    "clean_cutoff_pp",
                    "variant",
                    "unstable",
                    "warnings",
                ],
            },
            "klimek": {
                "type": "object",
                "required": ["f_incremental", "f_extreme", "sd_incremental", "sd_extreme"],
            },
            "excluded": {"type": ["object", "null"]},
            "digits": {
                "type": "object",
                "required": ["second_digit", "last_digit", "zero_five"],
            },
        },
    },
    "inspect": {
        "type": "object",
        "required": ["schema_version", "kind", "file", "format", "encoding", "columns"],
        "properties": {
            **_ENVELOPE,
            "kind": {"const": "inspect"},
            "columns": {
                "type": "array",
                "items": {"type": "object", "required": ["header", "role"]},
            },
        },
    },
    "validate": {
        "type": "object",
        "required": ["schema_version", "kind", "valid", "totals", "files"],
        "properties": {
            **_ENVELOPE,
            "kind": {"const": "validate"},
            "valid": {"type": "boolean"},
            "files": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["file", "status", "findings"],
                    "properties": {
                        "status": {"enum": ["valid", "invalid", "unreadable"]},
                        "findings": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["code", "severity", "message"],
                                "properties": {
                                    # A line number, or null where the file has no lines
                                    # (JSON): then path holds the JSON path.
                                    "location": {
                                        "type": "object",
                                        "properties": {
                                            "line": {"type": ["integer", "null"]},
                                            "path": _STR,
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    },
    "contests": {
        "type": "object",
        "required": ["schema_version", "kind", "election", "contests"],
        "properties": {
            **_ENVELOPE,
            "kind": {"const": "contests"},
            "election": _META,
            "contests": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": [
                        "id",
                        "office",
                        "district",
                        "name",
                        "rules",
                        "units",
                        "options",
                        "total_votes",
                        "leader",
                        "leader_name",
                        "leader_share_pct",
                        "margin_votes",
                        "margin_pp",
                        "decision",
                    ],
                    "properties": {
                        "units": {"type": "integer", "minimum": 0},
                        "options": {"type": "integer", "minimum": 0},
                        "total_votes": _COUNT,
                        "leader": _STR,
                        "leader_share_pct": _PCT,
                        "margin_votes": _COUNT,
                        "margin_pp": _PCT,
                    },
                },
            },
        },
    },
    "checks": {
        "type": "object",
        "required": ["schema_version", "kind", "checks"],
        "properties": {
            **_ENVELOPE,
            "kind": {"const": "checks"},
            "checks": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["code", "family", "severity", "title", "description"],
                    "properties": {"severity": {"enum": ["error", "warning", "info"]}},
                },
            },
        },
    },
}


def schema_for(name: str) -> dict[str, Any]:
    """``election`` (the input document) or the name of a command's JSON output."""
    if name in ("election", "input"):
        return ELECTION_DOCUMENT
    body = OUTPUTS[name]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://elect.invalid/schema/output-{name}-{SCHEMA_VERSION}.json",
        "title": f"elect {name} JSON output (schema_version {SCHEMA_VERSION})",
        **body,
    }


SCHEMA_NAMES = ("election", *OUTPUTS)
