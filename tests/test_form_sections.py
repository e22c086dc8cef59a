"""A section the form leaves out is one shared empty section, which nobody can change."""

from __future__ import annotations

import pydantic
import pytest

from compliance.facts import derive
from compliance.form import ProjectForm, Section

BARE = {"name": "焦化项目", "project_type": "new", "industry": ["C2521"]}
SECTIONS = [name for name, info in ProjectForm.model_fields.items()
            if isinstance(info.annotation, type) and issubclass(info.annotation, Section)]


def test_the_form_has_its_sections() -> None:
    assert {"location", "capacity", "technology", "emissions", "procedures"} <= set(SECTIONS)


@pytest.mark.parametrize("name", SECTIONS)
def test_a_section_left_out_is_empty(name: str) -> None:
    form = ProjectForm.model_validate(BARE)
    section = getattr(form, name)
    assert section.model_dump(exclude_none=True) == type(section)().model_dump(exclude_none=True)
    assert section.model_fields_set == set()


@pytest.mark.parametrize("name", SECTIONS)
def test_no_section_can_be_changed(name: str) -> None:
    """Forms share the empty sections: changing one would change every form's."""
    form = ProjectForm.model_validate(BARE)
    section = getattr(form, name)
    field = next(iter(type(section).model_fields))
    with pytest.raises(pydantic.ValidationError, match="frozen"):
        setattr(section, field, None)
    with pytest.raises(pydantic.ValidationError, match="frozen"):
        setattr(form, name, None)
    assert getattr(ProjectForm.model_validate(BARE), name) == section


def test_a_section_given_is_its_own() -> None:
    first = ProjectForm.model_validate({**BARE, "location": {"city": "安阳市"}})
    second = ProjectForm.model_validate({**BARE, "location": {"city": "邯郸市"}})
    assert (first.location.city, second.location.city) == ("安阳市", "邯郸市")
    assert ProjectForm.model_validate(BARE).location.city is None


def test_a_changed_copy_leaves_the_shared_section_alone() -> None:
    form = ProjectForm.model_validate(BARE)
    changed = form.model_copy(update={"water": form.water.model_copy(
        update={"self_supplied_well": True})})
    assert changed.water.self_supplied_well is True
    assert ProjectForm.model_validate(BARE).water.self_supplied_well is None


def test_a_section_left_out_gives_the_facts_of_one_given_empty() -> None:
    bare = derive(ProjectForm.model_validate(BARE))
    emptied = derive(ProjectForm.model_validate({**BARE, **{name: {} for name in SECTIONS}}))
    assert (bare.values, bare.given) == (emptied.values, emptied.given)
    given = derive(ProjectForm.model_validate({**BARE, "water": {"self_supplied_well": True}}))
    assert given.values["water.self_supplied_well"] is True
