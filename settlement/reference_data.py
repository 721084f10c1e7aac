"""The default document list of each settlement category (RULES.md section 02 and the issue's
examples). Loaded by migration and after every migrate or flush; only missing rows are added,
so administrators' changes stay."""

from typing import Any

DEFAULT_DOCUMENTS: dict[str, list[tuple[str, str, bool]]] = {
    "own_home": [
        ("id_card", "居民身份证", True),
        ("household_booklet", "户口簿", True),
        ("property_certificate", "不动产权证书", True),
    ],
    "rental": [
        ("id_card", "居民身份证", True),
        ("lease_filing_certificate", "租赁登记备案证明", True),
        ("no_home_proof", "本人、配偶及未成年子女在落户镇（街道）无房证明", True),
        ("owner_consent", "房屋所有权人同意在租赁房屋落户的证明（在租赁房屋落户时）", False),
    ],
    "relatives": [
        ("id_card", "居民身份证", True),
        ("host_household_booklet", "被投靠人户口簿", True),
        ("relation_proof", "亲属关系证明（结婚证、出生医学证明等）", True),
    ],
    "talent": [("id_card", "居民身份证", True), ("diploma_or_qualification", "学历证书或职业资格证书", True)],
    "employment": [
        ("id_card", "居民身份证", True),
        ("labour_contract", "劳动合同", True),
        ("social_insurance_record", "社会保险缴纳记录", True),
    ],
    "investment": [
        ("id_card", "居民身份证", True),
        ("business_licence_or_property", "营业执照或商业用房产权证书", True),
    ],
    "permit": [("id_card", "居民身份证", True), ("residence_permit", "浙江省居住证", True)],
}


def load_default_documents(model: Any, using: str = "default") -> None:
    for category, documents in DEFAULT_DOCUMENTS.items():
        for position, (code, label, active) in enumerate(documents):
            model.objects.using(using).get_or_create(
                category=category, code=code, defaults={"label": label, "position": position, "is_active": active}
            )


def ensure_loaded(*args: Any, using: str = "default", **kwargs: Any) -> None:
    from django.db import connections

    from .models import SettlementDocument

    if "settlement_settlementdocument" in connections[using].introspection.table_names():
        load_default_documents(SettlementDocument, using)
