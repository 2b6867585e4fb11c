"""The group directory and the interviews are named under `groups:` and keep their paths."""

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import translation


@pytest.mark.parametrize(
    ("name", "args", "path"),
    [
        ("groups:directory", [], "/groups/"),
        ("groups:public", [7], "/groups/7/"),
        ("groups:features", [], "/features/"),
        ("groups:feature", [7], "/features/7/"),
    ],
)
def test_directory_names_belong_to_groups_and_keep_their_paths(name, args, path):
    with translation.override("ja"):
        assert reverse(name, args=args) == path


@pytest.mark.parametrize(
    "name", ["community:groups", "community:group", "community:features", "community:feature"]
)
def test_community_no_longer_names_the_directory(name):
    with pytest.raises(NoReverseMatch):
        reverse(name, args=[1] if name.endswith(("group", "feature")) else [])
