"""Names of GB/T 2260 codes (python-stdnum's data set): the province and prefecture-level city of a
person's origin (``origin_names``), for the inflow statistics."""

import pytest

from hukou_portal.core.areas import origin_names

# The 34 provincial-level divisions, by the first two digits, as the dashboard names them.
PROVINCES = {
    "11": "北京市",
    "12": "天津市",
    "13": "河北省",
    "14": "山西省",
    "15": "内蒙古自治区",
    "21": "辽宁省",
    "22": "吉林省",
    "23": "黑龙江省",
    "31": "上海市",
    "32": "江苏省",
    "33": "浙江省",
    "34": "安徽省",
    "35": "福建省",
    "36": "江西省",
    "37": "山东省",
    "41": "河南省",
    "42": "湖北省",
    "43": "湖南省",
    "44": "广东省",
    "45": "广西壮族自治区",
    "46": "海南省",
    "50": "重庆市",
    "51": "四川省",
    "52": "贵州省",
    "53": "云南省",
    "54": "西藏自治区",
    "61": "陕西省",
    "62": "甘肃省",
    "63": "青海省",
    "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区",
    "71": "台湾省",
    "81": "香港特别行政区",
    "82": "澳门特别行政区",
}

# Zhejiang's eleven cities, and two of each of the eight provinces sending most people to it.
CITIES = {
    "3301": ("浙江省", "杭州市"),
    "3302": ("浙江省", "宁波市"),
    "3303": ("浙江省", "温州市"),
    "3304": ("浙江省", "嘉兴市"),
    "3305": ("浙江省", "湖州市"),
    "3306": ("浙江省", "绍兴市"),
    "3307": ("浙江省", "金华市"),
    "3308": ("浙江省", "衢州市"),
    "3309": ("浙江省", "舟山市"),
    "3310": ("浙江省", "台州市"),
    "3311": ("浙江省", "丽水市"),
    "3401": ("安徽省", "合肥市"),
    "3412": ("安徽省", "阜阳市"),
    "3601": ("江西省", "南昌市"),
    "3611": ("江西省", "上饶市"),
    "4101": ("河南省", "郑州市"),
    "4115": ("河南省", "信阳市"),
    "5201": ("贵州省", "贵阳市"),
    "5226": ("贵州省", "黔东南苗族侗族自治州"),
    "5101": ("四川省", "成都市"),
    "5113": ("四川省", "南充市"),
    "4301": ("湖南省", "长沙市"),
    "4305": ("湖南省", "邵阳市"),
    "4201": ("湖北省", "武汉市"),
    "4290": ("湖北省", "省直辖县级行政单位"),  # 仙桃, 潜江, 天门…: GB/T 2260 groups them so
    "5301": ("云南省", "昆明市"),
    "5303": ("云南省", "曲靖市"),
}


@pytest.mark.parametrize(("code2", "name"), PROVINCES.items())
def test_every_province_is_named(code2, name):
    assert origin_names(code2 + "0000") == (name, "")
    assert origin_names(code2 + "00")[0] == name


@pytest.mark.parametrize(("code4", "names"), CITIES.items())
def test_prefecture_level_cities_are_named_from_four_digits_or_six(code4, names):
    assert origin_names(code4) == names
    assert origin_names(code4 + "02") == names  # a county-level code reads as its city


def test_a_municipality_is_its_own_city():
    assert origin_names("110105") == ("北京市", "北京市")  # 朝阳区 (市辖区)
    assert origin_names("500229") == ("重庆市", "重庆市")  # 城口县 (县)
    assert origin_names("3101") == ("上海市", "上海市")


def test_an_old_code_keeps_the_name_it_was_issued_under():
    assert origin_names("652201") == ("新疆维吾尔自治区", "哈密地区")  # 哈密市 since 2016 is 6505


@pytest.mark.parametrize(
    ("code", "names"),
    [
        ("", ("", "")),
        ("33", ("", "")),  # two digits: not an origin code
        ("33050", ("", "")),
        ("9905", ("", "")),  # no such province
        ("3399", ("浙江省", "")),  # a province, no such city
        ("33O5", ("", "")),
        ("３３０５", ("", "")),  # full-width digits are not a stored code
    ],
)
def test_unknown_codes_give_empty_names(code, names):
    assert origin_names(code) == names
