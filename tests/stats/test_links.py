"""The dashboard's links encode their filters exactly as ``urllib.parse.urlencode`` would."""

import datetime as dt
from urllib.parse import parse_qsl, urlencode

from hypothesis import given
from hypothesis import strategies as st

from hukou_portal.stats.dashboard import query_string

values = st.one_of(st.integers(), st.dates(), st.text(), st.sampled_from(["S1.2", "residence_declaration", "1"]))
names = st.from_regex(r"[a-z_]{1,12}", fullmatch=True)


@given(st.dictionaries(names, values, max_size=6))
def test_query_string_is_urlencode(params):
    expected = urlencode({key: v.isoformat() if isinstance(v, dt.date) else v for key, v in params.items()})
    assert query_string(params) == expected
    assert dict(parse_qsl(query_string(params), keep_blank_values=True)) == {
        key: v.isoformat() if isinstance(v, dt.date) else str(v) for key, v in params.items()
    }
