"""The group directory's search: name or kana, written in hiragana, katakana or half-width katakana."""

from kyodo.community.kana import normalize
from kyodo.community.models import GroupSearch


def key_for(group):
    # A newline never appears in a normalised query (whitespace is dropped), so a match cannot
    # straddle the name and the kana.
    return f"{normalize(group.name)}\n{normalize(group.kana)}"


def refresh(group):
    GroupSearch.objects.update_or_create(group=group, defaults={"key": key_for(group)})


def on_group_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh(instance)


def rebuild():
    """Refresh every key (after bulk updates that bypass signals); returns how many changed."""
    from kyodo.groups.models import Group

    changed = 0
    existing = dict(GroupSearch.objects.values_list("group_id", "key"))
    for group in Group.objects.all():
        key = key_for(group)
        if existing.get(group.pk) != key:
            refresh(group)
            changed += 1
    return changed


def filter_groups(queryset, query):
    """Narrow a Group queryset to names or kana containing `query` in any kana form."""
    needle = normalize(query)
    if not needle:
        return queryset
    return queryset.filter(search__key__contains=needle)
