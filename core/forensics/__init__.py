"""Election-integrity statistics on station-level arrays (pure numpy).

Every function returns a frozen dataclass with ``to_dict()`` and a
``measures`` / ``caveat`` text. These are signals worth a closer look, not
proof of fraud.
"""

from .by_region import ByRegionResult, RegionRow, by_region
from .chi2 import chi2_sf, gammaincc, normal_sf, normal_two_sided
from .digits import (
    BENFORD_SECOND,
    DigitTestResult,
    ZeroFiveResult,
    last_digit_test,
    second_digit_test,
    zero_five_test,
)
from .distributions import (
    FingerprintResult,
    HistogramResult,
    fingerprint,
    leader_share_histogram,
    percent_edges,
    turnout_histogram,
)
from .integer_percent import (
    IntegerComponent,
    IntegerPercentResult,
    integer_hit_probability,
    integer_percentages,
    is_integer_percent,
)
from .result import CAVEAT, to_jsonable
from .shpilkin import ShpilkinResult, shpilkin_estimate

__all__ = [
    "BENFORD_SECOND",
    "CAVEAT",
    "ByRegionResult",
    "DigitTestResult",
    "FingerprintResult",
    "HistogramResult",
    "IntegerComponent",
    "IntegerPercentResult",
    "RegionRow",
    "ShpilkinResult",
    "ZeroFiveResult",
    "by_region",
    "chi2_sf",
    "fingerprint",
    "gammaincc",
    "integer_hit_probability",
    "integer_percentages",
    "is_integer_percent",
    "last_digit_test",
    "leader_share_histogram",
    "normal_sf",
    "normal_two_sided",
    "percent_edges",
    "second_digit_test",
    "shpilkin_estimate",
    "to_jsonable",
    "turnout_histogram",
    "zero_five_test",
]
