"""Organization types by region: distinct organizations of each type and their share."""

from __future__ import annotations

import pandas as pd

from .labels import ORG_TYPE_LABELS, UNPLACED
from .measures import clean_str
from .periods import attach_periods
from .profiles import region_key


def org_type_composition(
    organizations: pd.DataFrame, periods: pd.DataFrame | None = None, keep_unplaced: bool = False
) -> pd.DataFrame:
    """Region x organization type: distinct organizations and their share of the region's.

    Counts distinct organization names per region (one organization named in
    several sentences or documents counts once per region), by the province the
    extraction attributed to the mention (``province · period`` when ``periods``
    is given). Long table: region, org_type, label, n, n_region, share; every
    type of the codebook appears for every region.
    """
    orgs = organizations.copy()
    orgs["province"] = clean_str(orgs["province"])
    orgs["org_type"] = clean_str(orgs["org_type"]).replace("", "other")
    if not keep_unplaced:
        orgs = orgs[orgs["province"] != ""]
    orgs["province"] = orgs["province"].replace("", UNPLACED)
    if periods is not None:
        orgs = attach_periods(orgs, periods)
    orgs["region"] = region_key(orgs, periods is not None)
    distinct = orgs.drop_duplicates(["region", "name"])
    counts = distinct.groupby(["region", "org_type"]).size()
    types = list(ORG_TYPE_LABELS) + sorted(set(distinct["org_type"]) - set(ORG_TYPE_LABELS))
    regions = sorted(distinct["region"].unique())
    full = pd.MultiIndex.from_product([regions, types], names=["region", "org_type"])
    out = counts.reindex(full, fill_value=0).rename("n").reset_index()
    out["label"] = out["org_type"].map(ORG_TYPE_LABELS).fillna(out["org_type"])
    out["n_region"] = out.groupby("region")["n"].transform("sum")
    out["share"] = out["n"] / out["n_region"].where(out["n_region"] > 0)
    return out[["region", "org_type", "label", "n", "n_region", "share"]]
