"""Region attribution: which province and city a fact belongs to. Who acted decides.

A fact takes its section's region, refined by the nearest place named before it in
the same sentence where someone acts; places that receive help, a home place inside
an organization's name and a news dateline's place do not count.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from functools import lru_cache

from ..corpus.chars import PUNCTUATION_MARK
from ..text.numbers import CHINESE_NUMERAL_CHARS

MUNICIPALITIES = frozenset({"北京市", "天津市", "上海市", "重庆市"})
#: Characters allowed between a province name and a number for the province to govern it
#: (陕西省1000多家, 陕西省内30多家, 陕西省已有1000余家).
PROVINCE_GAP_MAX = 4


# --- region -----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def default_find_places() -> Callable | None:
    """``helpers.text.gazetteer.find_places``, or None (with a warning) when it cannot be loaded.

    A missing gazetteer leaves every fact with its section's region."""
    try:
        from ..text.gazetteer import find_places
    except Exception as err:  # the gazetteer is optional: without it, sections decide alone
        logging.getLogger(__name__).warning(
            "gazetteer unavailable (%s): facts keep their section's region", err)
        return None
    return find_places


def attribute_region(
    sentence: str,
    mention_start: int,
    section_province: str,
    section_city: str,
    places: Sequence | None = None,
) -> tuple[str, str]:
    """The (province, city) a quantity belongs to: who acted decides.

    The section's region, refined by the nearest place named before the quantity in
    the same sentence where someone acts (:func:`helpers.text.gazetteer.acting_places`:
    not receivers of help such as ``向香港捐赠`` or ``支援湖北``, not a home place
    inside a name such as the 萍乡 of ``南宁萍乡商会``, not a dateline's place):

    * a city or county of the section's province sets the city; the section's own
      province named right before the number (``陕西省1000多家``, ``陕西省内30多家``)
      clears it, while one that only begins an organization's name
      (``陕西省药品零售行业协会……500套``) changes nothing;
    * a place of another province (or of any province when the section has none) moves
      the fact there only when it is where the actor is based: it begins the name of an
      organization acting in the sentence (``南宁萍乡商会……筹集到77900元``,
      ``青岛市河南商会……筹得善款106600元``), not one named as its partner (联合, 携手,
      与 ...), or it is a province right before the number (``新疆库尔勒142家企业``).

    Municipalities have no city. ``places`` are :class:`helpers.text.gazetteer.PlaceMention`-like
    objects (start, end, province, city, level); found with the gazetteer when omitted.
    """
    province, city = section_province or "", section_city or ""
    if places is None:
        finder = default_find_places()
        places = finder(sentence, prefer_province=province) if finder else []
    if not places:
        return province, _city_unless_municipality(province, city)
    from ..text.gazetteer import acting_places

    scope = max((p for p in places if p.end <= mention_start), key=lambda p: p.end, default=None)
    if (scope is not None and scope.level == "province" and scope.province == province
            and _governs_number(sentence, scope.end, mention_start)):
        return province, ""  # 陕西省1000多家, 覆盖山东省16个地市: the province is the number's scope
    counted = _counted_lists(sentence, places)
    acting = [p for p in acting_places(sentence, list(places)) if p.end <= mention_start and p not in counted]
    for place in sorted(acting, key=lambda p: p.end, reverse=True):
        governs = place.level == "province" and _governs_number(sentence, place.end, mention_start)
        if place.province != province:
            if governs or _begins_acting_organization(sentence, place):
                return place.province, "" if place.level == "province" else _city_unless_municipality(
                    place.province, place.city)
            continue
        if place.level == "province":
            continue  # 陕西省药品零售行业协会 ... 500套: an organization's name, not the place
        return province, _city_unless_municipality(province, place.city or city)
    return province, _city_unless_municipality(province, city)


#: What joins the places of a list (铜陵、六安、黄山).
LIST_JOINS = ("、", ",", "，", "和", "及", "与")
#: What a number starts with.
NUMERAL_CHARS = frozenset("0123456789" + CHINESE_NUMERAL_CHARS)


def _counted_lists(sentence: str, places: Sequence) -> list:
    """The places of lists that end right at a number: such a list says what is counted, not
    where (铜陵、六安、黄山8市之后,淮北、亳州4市; 长春、四平4个地区)."""
    counted = []
    chain: list = []
    for place in sorted(places, key=lambda p: p.start):
        if chain and sentence[chain[-1].end:place.start] not in LIST_JOINS:
            chain = []
        chain.append(place)
        if len(chain) >= 2 and sentence[place.end:place.end + 1] in NUMERAL_CHARS:  # '' is in no set
            counted.extend(chain)
    return counted


def _city_unless_municipality(province: str, city: str) -> str:
    return "" if province in MUNICIPALITIES else city


def _governs_number(sentence: str, place_end: int, mention_start: int) -> bool:
    """A province right before the number, with at most a few characters between (陕西省内30多家)."""
    gap = sentence[place_end:mention_start]
    return len(gap) <= PROVINCE_GAP_MAX and not PUNCTUATION_MARK.search(gap)


#: Words right before an organization that make it a partner of the actor, not the actor.
PARTNER_MARKERS = ("联合", "携手", "会同", "协同", "与", "和", "及", "同", "、", "伙同", "连同")


def _begins_acting_organization(sentence: str, place) -> bool:
    """True when ``place`` begins the name of an organization that is not named as a partner."""
    from .organizations import extract_organizations

    for org in extract_organizations(sentence):
        if org.start == place.start:
            return not sentence[:org.start].endswith(PARTNER_MARKERS)
    return False
