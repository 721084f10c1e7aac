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
