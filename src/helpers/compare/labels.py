"""Labels of activity codes and organization types, and the label of unplaced facts.

The codebook ids are fixed; the labels come from the lexicons so that a
researcher who relabels a code sees the new label in tables and figures.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ..paths import lexicon

UNPLACED = "未定位"
"""Region label of facts that the text does not place in any province."""


ACTIVITY_LABELS: dict[str, str] = {
    "donate_money": "捐款募捐",
    "donate_goods": "捐赠物资",
    "volunteer_service": "志愿服务",
    "psych_support": "心理援助",
    "disinfection": "消杀",
    "testing_support": "核酸检测协助",
    "screening_checkpoint": "排查值守",
    "publicity_education": "宣传科普",
    "order_keeping": "秩序维护",
    "logistics_delivery": "物资运输配送",
    "vulnerable_care": "困难群体帮扶",
    "matching_platform": "供需对接平台",
    "professional_service": "专业医疗服务",
    "training": "培训",
    "work_resumption": "复工复产",
    "coordination": "枢纽协调",
    "party_mobilization": "党建动员",
}
"""Activity code ids and labels, in the order of CODEBOOK.md (updated from ``activity_codes.csv``)."""


def _labels_from_lexicon(name: str, key: str, fallback: dict[str, str]) -> dict[str, str]:
    """Labels from the extraction's lexicon when it has ``key`` and ``label`` columns, else ``fallback``.

    The codebook ids are fixed; a researcher who relabels a code in the lexicon
    sees the new label in tables and figures. Codes the lexicon adds come last.
    """
    try:
        df = pd.read_csv(lexicon(name), dtype=str, keep_default_na=False, usecols=[key, "label"])
    except (FileNotFoundError, ValueError):
        return dict(fallback)
    found = {k: v for k, v in zip(df[key], df["label"], strict=True) if k and v}
    merged = {k: found.get(k, v) for k, v in fallback.items()}
    merged.update({k: v for k, v in found.items() if k not in merged})
    return merged


ACTIVITY_LABELS = _labels_from_lexicon("activity_codes.csv", "code", ACTIVITY_LABELS)

ORG_TYPE_LABELS: dict[str, str] = {
    "industry_association": "行业协会商会",
    "foundation_charity": "基金会慈善组织",
    "social_work_agency": "社工机构",
    "volunteer_group": "志愿者组织",
    "professional_society": "学会专业团体",
    "hub_support": "枢纽支持机构",
    "party_org": "党组织",
    "mass_org": "群团组织",
    "enterprise": "企业",
    "government": "政府部门",
    "other": "其他",
}
"""Organization type ids and labels, in the order of CODEBOOK.md."""


def iter_codes(profile: pd.DataFrame) -> Iterable[str]:
    """Activity codes of a profile, in codebook order."""
    present = set(profile["code"])
    return [c for c in ACTIVITY_LABELS if c in present] + sorted(present - set(ACTIVITY_LABELS))
