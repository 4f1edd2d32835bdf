"""``elect forensics``: the integrity statistics on a loaded election's station rows.

This module turns the model's station frame into the arrays that
:mod:`elect.core.forensics` works on, runs every statistic with the parameters
stated, and returns one result object. Turnout is ballots cast (for the Russian
preset, ballots issued) over registered; the leader's share is over valid +
invalid, as in Kobak et al.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .errors import DataError, SelectionError
from .model import Contest, Election
from .report import contest_dict
from .schema import SCHEMA_VERSION

MIN_STATIONS = 30


@dataclass
class ForensicsParams:
    leader: str | None = None
    seed: int = 42
    replicates: int = 1000
    bin_width: float = 1.0
    turnout_definition: str = "issued"
    clean_zone: str = "peak"
    clean_cutoff: float | None = None
    peak_max: float = 100.0
    by_region: bool = False
    variant: str = "cedar"
    clean_bin: int | None = None
    exclude: str | None = None
    exclude_source: str = ""
    bootstrap: int = 200
    klimek_replicates: int = 10

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class ForensicsReport:
    election: Election
    contest: Contest
    params: ForensicsParams
    leader_id: str
    leader_name: str
    stations: int
    abroad_excluded: int
    exclusion: Any
    turnout_hist: Any
    leader_hist: Any
    fingerprint: Any
    integer_percent: Any
    shpilkin: Any
    klimek: Any
    second_digit: Any
    last_digit: Any
    zero_five: Any
    regions: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        fp = self.fingerprint.to_dict()
        return {
            "schema_version": SCHEMA_VERSION,
            "kind": "forensics",
            "election": self.election.meta_dict(),
            "contest": contest_dict(self.contest),
            "parameters": self.params.to_dict(),
            "leader": {"option_id": self.leader_id, "name": self.leader_name},
            "stations": self.stations,
            "abroad_excluded": self.abroad_excluded,
            "excluded": None if self.exclusion is None else self.exclusion.to_dict(),
            "distributions": {
                "turnout": self.turnout_hist.to_dict(),
                "leader_share": self.leader_hist.to_dict(),
                "fingerprint": fp,
            },
            "integer_percentages": self.integer_percent.to_dict(),
            "shpilkin": self.shpilkin,
            "klimek": self.klimek.to_dict(),
            "digits": {
                "second_digit": self.second_digit.to_dict(),
                "last_digit": self.last_digit.to_dict(),
                "zero_five": self.zero_five.to_dict(),
            },
            "by_region": self.regions,
        }


def station_arrays(contest: Contest, leader: str | None) -> tuple[dict[str, Any], str, int]:
    """registered, issued, valid, invalid, leader votes and region labels of the stations."""
    import numpy as np

    from .tally import leaf_mask

    units = contest.units
    stations = leaf_mask(contest) & (units["level"] == "station").to_numpy()
    if int(stations.sum()) < MIN_STATIONS:
        raise DataError(
            f"these tests need station rows; the contest {contest.name!r} has "
            f"{int(stations.sum())} (at least {MIN_STATIONS} needed)",
            file=None,
            hint="use a station-level file (a Russian CEC one with the ru-cec preset); a "
            "national summary such as the bundled election cannot show station-level patterns",
            fix=("preset", "ru-cec"),
        )
    abroad_all = units["abroad"].to_numpy() & stations
    # Stations abroad are flagged; the statistics leave them out, as Kobak et al. do
    # (their electorate is not local), except a Shpilkin variant that keeps them.
    use = stations
    candidates = contest.base_option_ids()
    leader_id = _leader(contest, leader, candidates, use)
    votes = contest.votes[use]
    valid = votes[candidates].to_numpy(dtype="float64", na_value=np.nan).sum(axis=1)
    invalid = units.loc[use, "invalid"].to_numpy(dtype="float64")
    if np.isnan(invalid).all():
        invalid = np.zeros_like(valid)
    registered = units.loc[use, "registered"].to_numpy(dtype="float64")
    if int(np.count_nonzero(registered > 0)) < MIN_STATIONS:
        raise DataError(
            f"these tests need registered voters per station; the contest {contest.name!r} "
            f"gives them for {int(np.count_nonzero(registered > 0))} station(s) "
            f"(at least {MIN_STATIONS} needed)",
            file=None,
            hint="turnout is ballots over registered voters; a file without them (e.g. a "
            "Clarity county feed with totalVoters=0) cannot be tested",
        )
    arrays = {
        "registered": registered,
        "issued": units.loc[use, "ballots_cast"].to_numpy(dtype="float64"),
        "valid": valid,
        "invalid": invalid,
        "leader": votes[leader_id].to_numpy(dtype="float64", na_value=np.nan),
        "region": units.loc[use, "region"].astype(str).to_numpy(),
        "abroad": abroad_all[use],
    }
    _check_usable(arrays, contest)
    return arrays, leader_id, int(abroad_all.sum())


def _check_usable(a: dict[str, Any], contest: Contest) -> None:
    """Degenerate data gets one sentence saying why, not a statistic of nothing."""
    import numpy as np

    reg, issued, lead = a["registered"], a["issued"], a["leader"]
    cast = a["valid"] + a["invalid"]
    usable = (reg > 0) & (cast > 0) & ~np.isnan(lead)
    voters = np.where(np.isnan(issued), cast, issued)
    n = int(usable.sum())
    hint = "the tests need registered voters, ballots and votes at each station"
    if n < MIN_STATIONS:
        raise DataError(
            f"only {n} station(s) of contest {contest.name!r} have registered voters, ballots "
            f"and votes (at least {MIN_STATIONS} needed)",
            hint="check that the count columns are filled in (blank counts cannot be tested)",
        )
    if float(np.nansum(a["valid"][usable])) <= 0:
        raise DataError("no votes for any option at any station: the base is empty", hint=hint)
    if bool((voters[usable] > reg[usable]).all()):
        raise DataError(
            "turnout is over 100% at every station: registered voters and ballots are "
            "probably swapped or mislabelled",
            hint="check the column roles with elect inspect FILE, and give a mapping",
            fix=("map", "FILE.toml"),
        )


def _leader(contest: Contest, wanted: str | None, candidates: list[str], use) -> str:
    if wanted is None:
        home = use & ~contest.units["abroad"].to_numpy()
        totals = contest.votes.loc[home, candidates].sum()
        return str(totals.idxmax())
    w = wanted.strip().casefold()
    hits = [
        o.id
        for o in contest.options
        if o.id.casefold().startswith(w)
        or o.name.casefold().startswith(w)
        or w in o.name.casefold()
    ]
    if len(hits) == 1:
        return hits[0]
    names = ", ".join(contest.option(h).name for h in hits) or "none"
    raise SelectionError(
        f"the leader {wanted!r} matches {len(hits)} options ({names})",
        hint="give more of the option's name",
        fix=("leader", "NAME"),
    )


def forensics_report(
    election: Election, contest: Contest, params: ForensicsParams | None = None
) -> ForensicsReport:
    """Every statistic of ``elect forensics`` on one contest's station rows."""
    import numpy as np

    from . import forensics as fx

    p = params or ForensicsParams()
    a_all, leader_id, abroad = station_arrays(contest, p.leader)
    names = ("registered", "issued", "valid", "invalid", "leader")
    exclusion = None
    dropped = np.zeros(a_all["registered"].size, dtype=bool)
    if p.exclude:
        try:
            dropped = fx.exclusion_mask(p.exclude, a_all)
        except fx.ExcludeError as exc:
            raise SelectionError(
                str(exc),
                hint="fields: registered, issued, cast, valid, invalid, leader, others, "
                "turnout, share",
                fix=("exclude", "'registered>10000'"),
            ) from exc
        home = ~a_all["abroad"]
        exclusion = fx.summarize_exclusion(p.exclude, dropped & home, a_all)
    home_use = ~a_all["abroad"] & ~dropped
    a = {k: v[home_use] for k, v in a_all.items()}
    core = {k: a[k] for k in names}
    try:
        integer = fx.integer_percentages(**core, n_replicates=p.replicates, seed=p.seed)
        shpilkin, shp_stat, shp_kwargs, shp_arrays = _shpilkin(p, a_all, dropped, core)
    except ValueError as exc:  # a parameter out of range
        raise SelectionError(str(exc), hint="elect forensics' help lists the ranges") from exc
    regions: list[dict[str, Any]] = []
    if p.by_region:
        for name, stat, kw, key, arrs in (
            (
                "integer_percentages",
                fx.integer_percentages,
                {"n_replicates": min(p.replicates, 200), "seed": p.seed},
                "either.z",
                a,
            ),
            ("shpilkin", shp_stat, shp_kwargs, "share_of_leader_votes", shp_arrays),
        ):
            res = fx.by_region(
                arrs["region"],
                stat,
                {k: arrs[k] for k in names},
                key=key,
                kwargs=kw,
                min_stations=MIN_STATIONS,
            )
            block = {"statistic": name, "ranked_by": key, **res.to_dict()}
            if name == "shpilkin":  # unstable estimates are not ranked with the others
                block["rows"].sort(key=lambda row: bool(row["result"].get("unstable")))
                block["unstable_last"] = True
            regions.append(block)
    return ForensicsReport(
        election=election,
        contest=contest,
        params=p,
        leader_id=leader_id,
        leader_name=contest.option(leader_id).name,
        stations=int(a["registered"].size),
        abroad_excluded=abroad,
        exclusion=exclusion,
        turnout_hist=fx.turnout_histogram(a["registered"], a["issued"], bin_width=p.bin_width),
        leader_hist=fx.leader_share_histogram(
            a["valid"], a["invalid"], a["leader"], bin_width=p.bin_width
        ),
        fingerprint=fx.fingerprint(**core, bin_width=p.bin_width),
        integer_percent=integer,
        shpilkin=shpilkin,
        klimek=fx.klimek_fit(**core, n_replicates=p.klimek_replicates, seed=p.seed),
        second_digit=fx.second_digit_test(a["leader"]),
        last_digit=fx.last_digit_test(a["leader"]),
        zero_five=fx.zero_five_test(a["leader"]),
        regions=regions,
    )


def _shpilkin(p: ForensicsParams, a_all: dict[str, Any], dropped, core: dict[str, Any]):
    """The Shpilkin estimate of the chosen variant, and how to run it per region."""
    from . import forensics as fx

    if p.variant == "classic":
        # Keyword arguments handed on to the estimator, here and per region (checked there).
        kw: dict[str, Any] = {
            "turnout_definition": p.turnout_definition,
            "bin_width": p.bin_width,
            "clean_zone": p.clean_zone,
            "clean_cutoff": p.clean_cutoff,
            "peak_max": p.peak_max,
        }
        res = fx.shpilkin_estimate(**core, **kw).to_dict()
        res["variant"] = {
            "name": "classic",
            "turnout": p.turnout_definition,
            "bin_width_pp": p.bin_width,
            "bins": "[p, p+w) pp, turnout above 100% counted as 100%",
            "clean_zone": p.clean_zone,
            "clean_share": "pooled",
            "summed_bins": "right-of-clean",
            "min_registered": 0,
            "keeps_abroad": False,
            "description": "elect 0.1's default: clean zone up to the turnout peak of the "
            "others' votes (or a fixed cutoff), share pooled over it",
        }
        res["warnings"] = [*res["warnings"], "no uncertainty is computed for the classic variant"]
        arrays = {k: v[~a_all["abroad"] & ~dropped] for k, v in a_all.items()}
        return res, fx.shpilkin_estimate, kw, arrays
    variant = fx.VARIANTS.get(p.variant)
    if variant is None:
        raise ValueError(
            f"unknown variant {p.variant!r}; choose from {', '.join([*fx.VARIANTS, 'classic'])}"
        )
    keep = ~dropped if variant.keeps_abroad else ~a_all["abroad"] & ~dropped
    arrays = {k: v[keep] for k, v in a_all.items()}
    kw = {"variant": p.variant, "n_bootstrap": p.bootstrap, "seed": p.seed}
    res = fx.shpilkin_variant(**{k: arrays[k] for k in core}, clean_bin=p.clean_bin, **kw).to_dict()
    region_kw: dict[str, Any] = {
        "variant": p.variant,
        "n_bootstrap": min(p.bootstrap, 50),
        "seed": p.seed,
    }
    if variant.clean_zone == "cedar-fit":
        region_kw["regional"] = True
    return res, fx.shpilkin_variant, region_kw, arrays
