"""One normaliser from state names to ISO 3166-1 alpha-3 codes.

Exact look-ups in pycountry (name, official name, common name, alpha-3 code) plus the
aliases in real use at the Convention, after folding case, accents, apostrophes and
punctuation. No fuzzy guessing: an unknown name is an error, with suggestions.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache

import pycountry
from babel import Locale

# Names in real use that pycountry does not know in this spelling.
ALIASES: dict[str, str] = {
    "Cape Verde": "CPV",
    "Cabo Verde": "CPV",
    "Ivory Coast": "CIV",
    "Cote d'Ivoire": "CIV",
    "Côte d'Ivoire": "CIV",
    "Lao PDR": "LAO",
    "Laos": "LAO",
    "Lao": "LAO",
    "Lao People's Democratic Republic": "LAO",
    "Holy See": "VAT",
    "Vatican": "VAT",
    "Vatican City": "VAT",
    "State of Palestine": "PSE",
    "Palestine": "PSE",
    "Türkiye": "TUR",
    "Turkiye": "TUR",
    "Turkey": "TUR",
    "Czechia": "CZE",
    "Czech Republic": "CZE",
    "Eswatini": "SWZ",
    "Swaziland": "SWZ",
    "North Macedonia": "MKD",
    "Macedonia": "MKD",
    "The former Yugoslav Republic of Macedonia": "MKD",
    "TFYR Macedonia": "MKD",
    "Bolivia (Plurinational State of)": "BOL",
    "Bolivia": "BOL",
    "Cook Islands": "COK",
    "Niue": "NIU",
    "Democratic Republic of the Congo": "COD",
    "Democratic Republic of Congo": "COD",
    "Netherlands (Kingdom of the)": "NLD",
    "Kingdom of the Netherlands": "NLD",
    "DR Congo": "COD",
    "DRC": "COD",
    "Congo, Democratic Republic of the": "COD",
    "Republic of the Congo": "COG",
    "Congo-Brazzaville": "COG",
    "Republic of Korea": "KOR",
    "South Korea": "KOR",
    "Korea, Republic of": "KOR",
    "North Korea": "PRK",
    "United Kingdom": "GBR",
    "UK": "GBR",
    "Great Britain": "GBR",
    "United States": "USA",
    "USA": "USA",
    "Russia": "RUS",
    "Syria": "SYR",
    "Iran": "IRN",
    "Venezuela": "VEN",
    "Vietnam": "VNM",
    "Moldova": "MDA",
    "Republic of Moldova": "MDA",
    "Tanzania": "TZA",
    "United Republic of Tanzania": "TZA",
    "Brunei": "BRN",
    "Burma": "MMR",
    "Micronesia": "FSM",
    "The Gambia": "GMB",
    "Gambia": "GMB",
    "Sao Tome and Principe": "STP",
    "St Kitts and Nevis": "KNA",
    "St Lucia": "LCA",
    "St Vincent and the Grenadines": "VCT",
    "East Timor": "TLS",
    "Timor Leste": "TLS",
}

_APOSTROPHES = dict.fromkeys(map(ord, "\u2019\u2018\u02bc\u0060\u00b4\u2032"), "'")


def name_key(name: str) -> str:
    """Fold a state name for look-up: case, accents, apostrophes, punctuation, ``St.``.

    >>> name_key("Côte d’Ivoire") == name_key("Cote d'Ivoire")
    True
    """
    s = unicodedata.normalize("NFKD", str(name).translate(_APOSTROPHES))
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = s.replace("&", " and ").replace("'", "")
    s = re.sub(r"[^a-z0-9]+", " ", s)
    s = re.sub(r"\bst\b", "saint", s)
    s = re.sub(r"^the ", "", s.strip())
    return " ".join(s.split())


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, str], dict[str, str]]:
    """(folded name -> ISO3, ISO3 -> display name)."""
    index: dict[str, str] = {}
    display: dict[str, str] = {}
    for c in pycountry.countries:
        display[c.alpha_3] = getattr(c, "common_name", None) or c.name
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if value:
                index.setdefault(name_key(value), c.alpha_3)
        index.setdefault(c.alpha_3.casefold(), c.alpha_3)
    for alias, code in ALIASES.items():
        index[name_key(alias)] = code
    return index, display


def to_iso3(name: object) -> str | None:
    """The ISO3 code of a state name or code, or None when unknown.

    >>> to_iso3("Bolivia (Plurinational State of)"), to_iso3("lao pdr"), to_iso3("BGR")
    ('BOL', 'LAO', 'BGR')
    """
    if name is None:
        return None
    key = name_key(str(name))
    return _index()[0].get(key) if key else None


def known_codes() -> frozenset[str]:
    """Every ISO 3166-1 alpha-3 code."""
    return frozenset(_index()[1])


def suggest(name: object, n: int = 3) -> list[str]:
    """The closest known state names, for a "did you mean" hint."""
    index, display = _index()
    key = name_key(str(name))
    if not key:
        return []
    close = difflib.get_close_matches(key, list(index), n=n * 3, cutoff=0.6)
    # Also offer names that start with what was typed ("Bosnia" -> Bosnia and Herzegovina).
    close += [k for k in index if k.startswith(key + " ")][:n]
    out: list[str] = []
    for k in close:
        label = preferred_name(index[k])
        if label not in out:
            out.append(label)
    return out[:n]


# Short names in UN usage for codes whose pycountry name reads awkwardly.
_PREFERRED = {
    "BOL": "Bolivia (Plurinational State of)",
    "VAT": "Holy See",
    "PSE": "State of Palestine",
    "COD": "Democratic Republic of the Congo",
    "KOR": "Republic of Korea",
    "GBR": "United Kingdom",
    "TZA": "United Republic of Tanzania",
    "MDA": "Republic of Moldova",
    "LAO": "Lao People's Democratic Republic",
    "IRN": "Iran (Islamic Republic of)",
    "VEN": "Venezuela (Bolivarian Republic of)",
    "FSM": "Micronesia (Federated States of)",
    "CIV": "Côte d'Ivoire",
}


def preferred_name(iso3: str) -> str:
    """A readable name for an ISO3 code (UN short form where it differs from pycountry)."""
    return _PREFERRED.get(iso3) or _index()[1].get(iso3, iso3)


# The State's name in the letter languages, where CLDR's short name (Babel) differs from UN usage.
UN_NAMES: dict[str, dict[str, str]] = {
    "en": {
        "BOL": "Bolivia (Plurinational State of)", "BIH": "Bosnia and Herzegovina", "CPV": "Cabo Verde",
        "COD": "Democratic Republic of the Congo", "COG": "Congo", "CZE": "Czechia",
        "GBR": "United Kingdom of Great Britain and Northern Ireland", "KOR": "Republic of Korea",
        "LAO": "Lao People's Democratic Republic", "MDA": "Republic of Moldova", "PSE": "State of Palestine",
        "VAT": "Holy See", "TZA": "United Republic of Tanzania", "IRN": "Iran (Islamic Republic of)",
        "VEN": "Venezuela (Bolivarian Republic of)", "FSM": "Micronesia (Federated States of)",
        "SYR": "Syrian Arab Republic", "RUS": "Russian Federation", "USA": "United States of America",
        "VNM": "Viet Nam", "KNA": "Saint Kitts and Nevis", "VCT": "Saint Vincent and the Grenadines",
        "TTO": "Trinidad and Tobago", "ATG": "Antigua and Barbuda", "NLD": "Netherlands (Kingdom of the)",
        "GMB": "Gambia", "BHS": "Bahamas", "MKD": "North Macedonia", "TUR": "Türkiye", "SWZ": "Eswatini",
        "CIV": "Côte d'Ivoire", "STP": "Sao Tome and Principe", "LCA": "Saint Lucia", "MMR": "Myanmar",
        "PRK": "Democratic People's Republic of Korea",
    },
    "fr": {
        "BOL": "Bolivie (État plurinational de)", "CPV": "Cabo Verde", "COD": "République démocratique du Congo",
        "COG": "Congo", "GBR": "Royaume-Uni de Grande-Bretagne et d'Irlande du Nord", "KOR": "République de Corée",
        "LAO": "République démocratique populaire lao", "MDA": "République de Moldova", "PSE": "État de Palestine",
        "VAT": "Saint-Siège", "TZA": "République-Unie de Tanzanie", "IRN": "Iran (République islamique d')",
        "VEN": "Venezuela (République bolivarienne du)", "FSM": "Micronésie (États fédérés de)",
        "SYR": "République arabe syrienne", "RUS": "Fédération de Russie", "USA": "États-Unis d'Amérique",
        "VNM": "Viet Nam", "NLD": "Pays-Bas (Royaume des)", "TUR": "Türkiye", "CZE": "Tchéquie",
        "MKD": "Macédoine du Nord", "SWZ": "Eswatini", "CIV": "Côte d'Ivoire", "GMB": "Gambie",
        # CLDR's usual names where the UN's French differs (Irak, Nigeria, Liberia, Salvador, ...).
        "IRQ": "Iraq", "NGA": "Nigéria", "LBR": "Libéria", "SLV": "El Salvador", "BLR": "Bélarus",
        "BRN": "Brunéi Darussalam", "TLS": "Timor-Leste", "MMR": "Myanmar",
        "PRK": "République populaire démocratique de Corée",
        # CLDR's "Saint-Christophe-et-Niévès" and "Niue": the UN writes these.
        "KNA": "Saint-Kitts-et-Nevis", "NIU": "Nioué",
    },
    "es": {
        "BOL": "Bolivia (Estado Plurinacional de)", "CPV": "Cabo Verde", "COD": "República Democrática del Congo",
        "COG": "Congo", "GBR": "Reino Unido de Gran Bretaña e Irlanda del Norte", "KOR": "República de Corea",
        "LAO": "República Democrática Popular Lao", "MDA": "República de Moldova", "PSE": "Estado de Palestina",
        "VAT": "Santa Sede", "TZA": "República Unida de Tanzanía", "IRN": "Irán (República Islámica del)",
        "VEN": "Venezuela (República Bolivariana de)", "FSM": "Micronesia (Estados Federados de)",
        "SYR": "República Árabe Siria", "RUS": "Federación de Rusia", "USA": "Estados Unidos de América",
        "VNM": "Viet Nam", "NLD": "Países Bajos (Reino de los)", "TUR": "Türkiye", "CZE": "Chequia",
        "MKD": "Macedonia del Norte", "SWZ": "Eswatini", "CIV": "Côte d'Ivoire", "MWI": "Malawi",
        "GMB": "Gambia",
        # CLDR's hispanicised spellings where the UN's Spanish keeps the country's own (Botsuana, Kenia, ...).
        "BWA": "Botswana", "DJI": "Djibouti", "FJI": "Fiji", "GNB": "Guinea-Bissau", "IRQ": "Iraq", "KEN": "Kenya",
        "LSO": "Lesotho", "RWA": "Rwanda", "KNA": "Saint Kitts y Nevis", "BEN": "Benin", "MLI": "Malí",
        "BLR": "Belarús", "BRN": "Brunei Darussalam", "MMR": "Myanmar", "ZWE": "Zimbabwe", "QAT": "Qatar",
        "BHR": "Bahrein", "BGD": "Bangladesh", "PNG": "Papua Nueva Guinea",
        "PRK": "República Popular Democrática de Corea",
        # CLDR's "Palaos" and "Nueva Zelanda": the UN's Spanish names are these.
        "PLW": "Palau", "NZL": "Nueva Zelandia", "SAU": "Arabia Saudita",
    },
}


def name_in(iso3: str, lang: str) -> str:
    """The State's name in English, French or Spanish: the UN name where it is in
    :data:`UN_NAMES`, else CLDR's (through Babel), else :func:`preferred_name`.

    >>> name_in("BGR", "fr"), name_in("LAO", "es"), name_in("IRQ", "fr")
    ('Bulgarie', 'República Democrática Popular Lao', 'Iraq')
    """
    return _name_in(str(iso3), lang.split("_")[0].split("-")[0].casefold())


@lru_cache(maxsize=4096)
def _name_in(iso3: str, lang: str) -> str:
    if iso3 in UN_NAMES.get(lang, {}):
        return UN_NAMES[lang][iso3]
    country = pycountry.countries.get(alpha_3=iso3)
    if country is not None:
        name = Locale(lang).territories.get(country.alpha_2)
        if name:
            return name.replace("\u2019", "'")
    return preferred_name(iso3)


# States represented in Geneva by a permanent observer mission, not a permanent mission (non-member observer States).
OBSERVER_STATES = frozenset({"VAT", "PSE"})

# The article a State's name takes in a sentence, where the rules of :func:`running_name` would not give it.
_ARTICLE_EN = {"Bahamas", "Comoros", "Congo", "Gambia", "Netherlands", "Niger", "Philippines", "Sudan", "Holy See",
               "Cook Islands", "Marshall Islands", "Solomon Islands", "United Arab Emirates", "Czech Republic",
               "Dominican Republic", "Central African Republic", "Russian Federation", "Syrian Arab Republic",
               "Lao People's Democratic Republic"}
_ARTICLE_FR = {
    # no article (islands, city-States and a few others), "d'" before a vowel
    "Cuba": "", "Chypre": "", "Malte": "", "Maurice": "", "Monaco": "", "Nauru": "", "Singapour": "", "Saint-Marin": "",
    "Sao Tomé-et-Principe": "", "Saint-Kitts-et-Nevis": "", "Sainte-Lucie": "", "Saint-Vincent-et-les Grenadines": "",
    "Antigua-et-Barbuda": "", "Trinité-et-Tobago": "", "Bahreïn": "", "Djibouti": "", "Israël": "", "Madagascar": "",
    "Oman": "", "Samoa": "", "Tuvalu": "", "Kiribati": "", "Vanuatu": "", "Tonga": "", "Nioué": "", "Haïti": "",
    "Sri Lanka": "", "Brunéi Darussalam": "", "El Salvador": "", "Timor-Leste": "le ",
    # masculine names ending in -e, the aspirated h, and the plural ones
    "Mozambique": "le ", "Mexique": "le ", "Cambodge": "le ", "Zimbabwe": "le ", "Belize": "le ", "Suriname": "le ",
    "Honduras": "le ", "Bélarus": "le ", "Hongrie": "la ", "Palaos": "les ", "Fidji": "les ", "Îles Cook": "les ",
    "Cabo Verde": "le ", "Eswatini": "l'", "Guinée-Bissau": "la ", "Macédoine du Nord": "la ",
}
_ARTICLE_ES = {
    "Argentina": "la ", "Bahamas": "las ", "Brasil": "el ", "Camerún": "el ", "Canadá": "el ", "Chad": "el ",
    "Congo": "el ", "Ecuador": "el ", "Emiratos Árabes Unidos": "los ", "Estados Unidos de América": "los ",
    "India": "la ", "Iraq": "el ", "Japón": "el ", "Líbano": "el ", "Níger": "el ", "Países Bajos": "los ",
    "Pakistán": "el ", "Paraguay": "el ", "Perú": "el ", "Senegal": "el ", "Sudán": "el ", "Togo": "el ",
    "Uruguay": "el ", "Yemen": "el ", "Afganistán": "el ", "Santa Sede": "la ", "Comoras": "las ", "Gambia": "la ",
    "Arabia Saudita": "la ", "Gabón": "el ", "Islas Cook": "las ", "Islas Marshall": "las ", "Islas Salomón": "las ",
}
_VOWELS = tuple("AEIOUÂÉÈÊÎÔÛÀÏaeiouéèêîôâ")  # not Y: "le Yémen"


def _in_order(name: str) -> str:
    """A name with its formal part in brackets, as a sentence writes it: "Bolivia (Plurinational State of)" ->
    "Plurinational State of Bolivia", "Iran (République islamique d')" -> "République islamique d'Iran"."""
    m = re.fullmatch(r"(.+?) \((.+)\)", name)
    if m is None:
        return name
    head, inner = m.group(1), m.group(2)
    return f"{inner}{head}" if inner.endswith("'") else f"{inner} {head}"


def running_name(iso3: str, lang: str) -> str:
    """The State's name as a sentence writes it, with its article (UN usage): "the Netherlands", "Bulgaria",
    "la Bulgarie", "l'État plurinational de Bolivie", "les Pays-Bas", "el Perú", "Bulgaria".

    >>> running_name("NLD", "en"), running_name("BOL", "fr"), running_name("PER", "es"), running_name("CUB", "fr")
    ('the Kingdom of the Netherlands', "l'État plurinational de Bolivie", 'el Perú', 'Cuba')
    """
    lang = lang.split("_")[0].split("-")[0].casefold()
    name = name_in(iso3, lang)
    text = _in_order(name)
    if lang == "fr":
        if name in _ARTICLE_FR:
            article = _ARTICLE_FR[name]
        elif text.startswith(("République", "Fédération")):
            article = "la "
        elif text.startswith(("Royaume", "Saint-Siège")):
            article = "le "
        elif text.startswith(("États", "Émirats", "Îles")) or text.endswith("s"):
            article = "les "
        elif text.startswith(_VOWELS):
            article = "l'"
        elif text.endswith("e"):
            article = "la "
        else:
            article = "le "
        return article + text
    if lang == "es":
        if name in _ARTICLE_ES:
            return _ARTICLE_ES[name] + text
        for start, article in (("República", "la "), ("Federación", "la "), ("Reino", "el "), ("Estados", "los "),
                               ("Estado", "el "), ("Islas", "las ")):
            if text.startswith(start):
                return article + text
        return text
    if name in _ARTICLE_EN or text != name or text.startswith(
            ("Republic", "Democratic", "Kingdom", "United", "State of", "Federated", "Islamic", "Plurinational")):
        return "the " + text
    return text


def of_state(iso3: str, lang: str) -> str:
    """"of" and the State's name, contracted as the language wants: "of the Netherlands", "of Bulgaria",
    "de la Bulgarie", "du Chili", "des Pays-Bas", "d'Haïti", "de l'Iraq", "del Perú", "de Bulgaria".

    >>> of_state("CHL", "fr"), of_state("HTI", "fr"), of_state("PER", "es"), of_state("VAT", "en")
    ('du Chili', "d'Haïti", 'del Perú', 'of the Holy See')
    """
    lang = lang.split("_")[0].split("-")[0].casefold()
    text = running_name(iso3, lang)
    if lang == "fr":
        if text.startswith("le "):
            return "du " + text[3:]
        if text.startswith("les "):
            return "des " + text[4:]
        if text.startswith(_VOWELS) or text.startswith("Haï"):  # "d'Haïti": a mute h
            return "d'" + text
        return "de " + text
    if lang == "es":
        return "del " + text[3:] if text.startswith("el ") else "de " + text
    return "of " + text


def knows_name(iso3: str) -> bool:
    """Whether :func:`name_in` has a name of its own for ``iso3`` (a UN name or an ISO 3166 code)."""
    return any(iso3 in names for names in UN_NAMES.values()) or pycountry.countries.get(alpha_3=str(iso3)) is not None


# The other names people type when looking for a State (the picker shows them after its name).
SEARCH_NAMES: dict[str, tuple[str, ...]] = {
    "CIV": ("Ivory Coast",), "LAO": ("Laos", "Lao PDR"), "CZE": ("Czech Republic",), "MKD": ("Macedonia",),
    "CPV": ("Cape Verde",), "SWZ": ("Swaziland",), "TUR": ("Turkey",), "KOR": ("South Korea",),
    "PRK": ("North Korea",), "COD": ("DR Congo",), "COG": ("Congo-Brazzaville",), "VAT": ("Vatican",),
    "TLS": ("East Timor",), "MMR": ("Burma",), "RUS": ("Russia",), "SYR": ("Syria",), "VNM": ("Vietnam",),
    "BRN": ("Brunei",), "GBR": ("UK",), "USA": ("United States",), "NLD": ("Holland",),
}


def other_names(iso3: str, name: str) -> list[str]:
    """The other names a search for a State may use (:data:`SEARCH_NAMES` and its UN short
    name), leaving out those already contained in ``name`` (case, accents and punctuation aside).

    >>> other_names("CIV", "Côte d'Ivoire"), other_names("MKD", "North Macedonia")
    (['Ivory Coast'], [])
    """
    key = name_key(name)
    out: list[str] = []
    for other in (*SEARCH_NAMES.get(iso3, ()), preferred_name(iso3)):
        k = name_key(other)
        if k and k not in key and other not in out:
            out.append(other)
    return out


def picker_label(iso3: str, name: str) -> str:
    """A State's label in pickers: its name plus the usual other names, so that typing
    "Ivory Coast", "Laos" or "Swaziland" finds it (e.g. "Eswatini (Swaziland)")."""
    others = other_names(iso3, name)
    return f"{name} ({', '.join(others)})" if others else name
