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
from .exclude import ExcludeError, Exclusion, exclusion_mask
from .exclude import summarize as summarize_exclusion
from .integer_percent import (
    IntegerComponent,
    IntegerPercentResult,
    integer_hit_probability,
    integer_percentages,
    is_integer_percent,
)
from .klimek import KlimekResult, klimek_fit
from .result import CAVEAT, to_jsonable
from .shpilkin import ShpilkinResult, shpilkin_estimate
from .shpilkin_variants import VARIANTS, Variant, VariantResult, shpilkin_variant

__all__ = [
    "BENFORD_SECOND",
    "CAVEAT",
    "ByRegionResult",
    "DigitTestResult",
    "ExcludeError",
    "Exclusion",
    "FingerprintResult",
    "HistogramResult",
    "IntegerComponent",
    "IntegerPercentResult",
    "KlimekResult",
    "RegionRow",
    "ShpilkinResult",
    "VARIANTS",
    "Variant",
    "VariantResult",
    "ZeroFiveResult",
    "by_region",
    "chi2_sf",
    "exclusion_mask",
    "fingerprint",
    "gammaincc",
    "integer_hit_probability",
    "integer_percentages",
    "is_integer_percent",
    "klimek_fit",
    "last_digit_test",
    "leader_share_histogram",
    "normal_sf",
    "normal_two_sided",
    "percent_edges",
    "second_digit_test",
    "shpilkin_estimate",
    "shpilkin_variant",
    "summarize_exclusion",
    "to_jsonable",
    "turnout_histogram",
    "zero_five_test",
]
