"""Reference data: GB/T 4754-2017 industries and rulebook keys, GB/T 2260 divisions, regions.

The data lives in ``rules/reference`` (see its README); this package loads it once and answers
lookups from dicts, so it can sit on the hot path of a batch check.
"""

from ._division_index import consistent as consistent_places
from .data import reference_dir
from .divisions import (
    Place,
    city_names,
    county_places,
    parse_address,
    place_from_code,
    province_names,
    resolve_place,
)
from .errors import ReferenceLookupError, RegionUndeterminedError
from .history import place_as_issued
from .industries import (
    IndustryClass,
    IndustryKey,
    ResolvedIndustry,
    all_industry_keys,
    classes,
    industry_key_names,
    industry_keys,
    lookup_code,
    product_fields,
    resolve_industry,
    rulebook_keys,
    two_high_keys,
)
from .project_code import ProjectCode, decode_project_code, find_project_codes
from .regions import (
    KEY_REGION_DEFINITIONS,
    in_yangtze_belt,
    key_region,
    key_region_members,
    key_region_names,
    riverside_river,
    yangtze_reach,
)

__all__ = [
    "KEY_REGION_DEFINITIONS",
    "IndustryClass",
    "IndustryKey",
    "Place",
    "ProjectCode",
    "ReferenceLookupError",
    "RegionUndeterminedError",
    "ResolvedIndustry",
    "all_industry_keys",
    "city_names",
    "classes",
    "consistent_places",
    "county_places",
    "decode_project_code",
    "find_project_codes",
    "in_yangtze_belt",
    "industry_key_names",
    "industry_keys",
    "key_region",
    "key_region_members",
    "key_region_names",
    "lookup_code",
    "parse_address",
    "place_as_issued",
    "place_from_code",
    "product_fields",
    "province_names",
    "reference_dir",
    "resolve_industry",
    "resolve_place",
    "riverside_river",
    "rulebook_keys",
    "two_high_keys",
    "yangtze_reach",
]
