"""Name keys that survive case, script and spelling: Zhetysu = Jetisu = Zhetisu = Жетісу.

:func:`fold` turns a printed name into a key: Cyrillic (Russian and Kazakh
letters) is transliterated, diacritics dropped, spellings that vary between
sources merged (zh/j/dzh, y/i, q/k, doubled letters). Words that say *what kind*
of unit it is become one marker (``region`` or ``city``) rather than vanishing,
because "Almaty Region" and "Almaty (city)" are two different units.
:func:`name_key` then maps the folded key through the alias table, for the
variants no rule can merge (Karaganda/Karagandy, Nur-Sultan/Astana).
"""

from __future__ import annotations

import re
import unicodedata

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "ә": "a", "ғ": "g", "қ": "q", "ң": "n", "ө": "o", "ұ": "u", "ү": "u",
    "һ": "h", "і": "i",
}  # fmt: skip

# Words naming the kind of unit, after transliteration.
_REGION_WORDS = {"region", "oblast", "oblasti", "oblys", "oblysy", "province", "obl"}
_CITY_WORDS = {"city", "g", "gorod", "qalasy", "kalasy", "qala", "kala"}
_FILLER = {"of", "the", "po", "v"}

# Spelling variants across transliteration systems, applied in order.
_RULES = (
    ("dzh", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("gh", "g"),
    ("q", "k"),
    ("ye", "e"),
    ("yu", "iu"),
    ("ya", "ia"),
    ("y", "i"),
    ("w", "v"),
)
_DOUBLE = re.compile(r"(.)\1+")

# Canonical unit id → spellings seen in sources (the 2019 and 2022 Kazakh
# elections). Listed only where the rules above cannot merge them.
KZ_REGIONS: dict[str, tuple[str, ...]] = {
    "abai": ("Abai Region", "Abay Region", "область Абай", "Абай облысы", "Абайская область"),
    "akmola": ("Akmola Region", "Aqmola Region", "Акмолинская область", "Ақмола облысы"),
    "aktobe": ("Aktobe Region", "Aqtobe Region", "Актюбинская область", "Ақтөбе облысы"),
    "almaty_region": (
        "Almaty Region",
        "Almaty oblast",
        "Алматинская область",
        "Алма-Атинская область",
        "Алматы облысы",
    ),
    "atyrau": ("Atyrau Region", "Атырауская область", "Атырау облысы"),
    "west_kazakhstan": (
        "West Kazakhstan Region",
        "Western Kazakhstan Region",
        "Западно-Казахстанская область",
        "Батыс Қазақстан облысы",
        "WKO",
    ),
    "zhambyl": ("Zhambyl Region", "Jambyl Region", "Жамбылская область", "Жамбыл облысы"),
    "zhetysu": (
        "Zhetysu Region",
        "Jetisu Region",
        "Zhetisu Region",
        "Zhetysu (Jetisu) Region",
        "область Жетісу",
        "область Жетысу",
        "Жетісу облысы",
        "Жетысуская область",
    ),
    "karaganda": (
        "Karaganda Region",
        "Karagandy Region",
        "Qaraghandy Region",
        "Карагандинская область",
        "Қарағанды облысы",
    ),
    "kostanay": ("Kostanay Region", "Qostanay Region", "Костанайская область", "Қостанай облысы"),
    "kyzylorda": ("Kyzylorda Region", "Qyzylorda Region", "Кызылординская область"),
    "mangystau": (
        "Mangystau Region",
        "Mangistau Region",
        "Мангистауская область",
        "Маңғыстау облысы",
    ),
    "pavlodar": ("Pavlodar Region", "Павлодарская область", "Павлодар облысы"),
    "north_kazakhstan": (
        "North Kazakhstan Region",
        "Northern Kazakhstan Region",
        "Северо-Казахстанская область",
        "Солтүстік Қазақстан облысы",
        "NKO",
    ),
    "turkistan": (
        "Turkistan Region",
        "Turkestan Region",
        "Туркестанская область",
        "Түркістан облысы",
    ),
    "ulytau": ("Ulytau Region", "Ulutau Region", "область Ұлытау", "Улытауская область"),
    "east_kazakhstan": (
        "East Kazakhstan Region",
        "Eastern Kazakhstan Region",
        "Восточно-Казахстанская область",
        "Шығыс Қазақстан облысы",
        "EKO",
    ),
    # The capital was renamed twice (Astana → Nur-Sultan 2019 → Astana 2022): one unit.
    "astana": (
        "Astana (city)",
        "Astana",
        "Nur-Sultan",
        "Nursultan",
        "Nur-Sultan (city)",
        "city of Nur-Sultan",
        "г. Астана",
        "г. Нур-Султан",
        "Астана қаласы",
        "Нұр-Сұлтан қаласы",
    ),
    "almaty_city": (
        "Almaty (city)",
        "Almaty City",
        "city of Almaty",
        "г. Алматы",
        "Алматы қаласы",
        "Alma-Ata",
    ),
    "shymkent": ("Shymkent (city)", "Shymkent", "Chimkent", "г. Шымкент", "Шымкент қаласы"),
    "abroad": ("Abroad", "за рубежом", "шетелде", "voters abroad"),
}


def fold(text: str) -> str:
    """A spelling-, case- and script-insensitive key for a name."""
    s = unicodedata.normalize("NFKC", str(text)).casefold()
    s = "".join(_CYRILLIC.get(ch, ch) for ch in s)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).replace("ı", "i")
    words = [w for w in re.split(r"[^0-9a-z]+", s.replace("-", "")) if w]
    marker = ""
    base: list[str] = []
    for w in words:
        if w in _REGION_WORDS:
            marker = marker or "region"
        elif w in _CITY_WORDS:
            marker = "city"
        elif w in _FILLER:
            continue
        else:
            w = _simplify(w)
            if w not in base:
                base.append(w)
    # Sorted, so "Tokayev Kassym-Jomart" (surname first, as in Russian) keys like the English.
    return " ".join(sorted(base) + ([marker] if marker else []))


def bare(key: str) -> str:
    """A folded key without its region/city marker."""
    return key.removesuffix(" region").removesuffix(" city")


def _simplify(word: str) -> str:
    for old, new in _RULES:
        word = word.replace(old, new)
    return _DOUBLE.sub(r"\1", word)


def _alias_index() -> dict[str, str]:
    index: dict[str, str] = {}
    bare_index: dict[str, set[str]] = {}
    for canonical, variants in KZ_REGIONS.items():
        for v in (canonical.replace("_", " "), *variants):
            key = fold(v)
            index.setdefault(key, canonical)
            bare_index.setdefault(bare(key), set()).add(canonical)
    # "Karagandy" without "Region" is still Karaganda; bare "Almaty" stays ambiguous.
    for key, canonicals in bare_index.items():
        if len(canonicals) == 1:
            index.setdefault(key, next(iter(canonicals)))
    return index


_ALIASES = _alias_index()


def name_key(text: str) -> str:
    """The alias table's canonical id for a name, else its folded key."""
    key = fold(text)
    return _ALIASES.get(key) or key
