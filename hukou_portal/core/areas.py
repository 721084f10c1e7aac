"""Names of administrative area codes (GB/T 2260), from python-stdnum's data set.

``stdnum/cn/loc.dat`` lists every province and county-level code with the years each name was
in use; a code reads as its province, prefecture and county names, the newest name of each:
``330502`` → 浙江省湖州市吴兴区, ``330000`` → 浙江省.
"""

import re
from functools import lru_cache

from stdnum import numdb

_YEARS = re.compile(r"^\[[0-9-]*\]")


def _newest_name(raw: str) -> str:
    """``[1983-1987]城区,[2003-]吴兴区`` → 吴兴区 (the last name listed is the newest)."""
    return _YEARS.sub("", raw.split(",")[-1]).strip()


def _lookup(code: str) -> tuple[str, str]:
    """(province name, county-level name) of a six-digit code; empty strings when unknown."""
    parts = numdb.get("cn/loc").info(code)
    province = parts[0][1].get("province", "") if parts else ""
    county = parts[1][1].get("county", "") if len(parts) > 1 else ""
    return province, _newest_name(county) if county else ""


@lru_cache(maxsize=4096)
def area_name(code: str) -> str:
    """The full name of a six-digit area code, or "" when the data set does not know it."""
    if not (isinstance(code, str) and len(code) == 6 and code.isascii() and code.isdigit()):
        return ""
    province, county = _lookup(code)
    if not province:
        return ""
    if code.endswith("0000"):
        return province
    prefecture = _lookup(code[:4] + "00")[1] if not code.endswith("00") else ""
    if prefecture in {"市辖区", "县", province}:
        prefecture = ""
    if county in {"市辖区", ""}:
        county = ""
    name = f"{province}{prefecture}{county}"
    return name if county or code.endswith("00") else ""


@lru_cache(maxsize=4096)
def short_area_name(code: str) -> str:
    """Inside Huzhou the county name alone (吴兴区); elsewhere the full name."""
    full = area_name(code)
    if code.startswith("3305") and code != "330500" and full:
        return _lookup(code)[1]
    return full


@lru_cache(maxsize=8192)
def is_area_code(code: str) -> bool:
    """Whether six ASCII digits are a GB/T 2260 code, current or former, in the data set.

    Every year range counts: a citizen ID number keeps the code of the place that issued it, so
    ``330511`` (湖州市郊区, 1983-1988) is as valid in an old number as ``330502`` is today.
    """
    if not (isinstance(code, str) and len(code) == 6 and code.isascii() and code.isdigit()):
        return False
    parts = numdb.get("cn/loc").info(code)
    return len(parts) > 1 and len(parts[1][0]) == 4 and bool(parts[1][1].get("county"))


# A municipality's (直辖市) prefecture-level entries are its districts and its counties together:
# the city is the municipality itself.
_MUNICIPALITY_PARTS = {"市辖区", "县"}


@lru_cache(maxsize=64)
def _province_name(code2: str) -> str:
    """A province's name: the newest name of its ``xx0000`` entry (simplified characters, 海南省
    from 1988), or the data set's province label."""
    parts = numdb.get("cn/loc").info(code2 + "0000")
    if not parts:
        return ""
    whole = parts[1][1].get("county", "") if len(parts) > 1 else ""
    return _newest_name(whole) if whole else parts[0][1].get("province", "")


@lru_cache(maxsize=4096)
def origin_names(code: str) -> tuple[str, str]:
    """(province, prefecture-level city) of an area code's first four digits — a person's
    ``origin_area`` (six digits) or the inflow rollup's ``origin_city`` (four): ``330502`` and
    ``3305`` → (浙江省, 湖州市); a municipality's districts → (北京市, 北京市); the county-level
    cities a province governs directly (``4290``) → (湖北省, 省直辖县级行政单位), as GB/T 2260 groups
    them. "" for what the data set does not know: a bad code, an unknown province (both ""), a
    province-level code or an unknown prefecture (the city "")."""
    if not (isinstance(code, str) and len(code) in (4, 6) and code.isascii() and code.isdigit()):
        return "", ""
    province = _province_name(code[:2])
    if not province:
        return "", ""
    if code[2:4] == "00":
        return province, ""
    city = _lookup(code[:4] + "00")[1]
    return province, province if city in _MUNICIPALITY_PARTS else city
