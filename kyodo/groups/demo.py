"""The newsletter's four groups (their interviews are added by the community app) and sample groups."""

from kyodo.core.models import User
from kyodo.groups.models import ActivityField, Group, Membership

FIELDS = [
    ("まちづくり", "Community development"),
    ("環境", "Environment"),
    ("子ども・子育て", "Children and parenting"),
    ("福祉", "Welfare"),
    ("国際交流", "International exchange"),
    ("保健・医療", "Health and medical care"),
    ("学生", "Students"),
    ("地域・町会", "Neighbourhood associations"),
]

NEWSLETTER_GROUPS = [
    {
        "name": "Finding ゴミ", "kana": "ふぁいんでぃんぐごみ", "fields": ["環境", "学生", "まちづくり"],
        "description": "イベントベースでのゴミ拾いや地域の清掃活動への参加を通じて、「ゴミ拾いを通じて地域のコミュニティ活性化」を目指す学生団体です。",
        "seeks_collaboration": False,
    },
    {
        "name": "シングルマザーの会", "kana": "しんぐるまざーのかい", "fields": ["福祉", "子ども・子育て"],
        "description": "ひとり親家庭への食糧支援や交流イベントの開催をしていきたいと考えています。",
        "seeks_collaboration": True,
        "collaboration_note": "ひとり親家庭への食糧支援やイベント開催。連携のご提案をいただけると励みになります。",
    },
    {
        "name": "FIKA 金沢", "kana": "ふぃーかかなざわ", "fields": ["国際交流"],
        "description": "会の目的である「金沢在住の外国人との交流」を、一人一人ができる範囲で自主的に続けています。",
        "seeks_collaboration": False,
    },
    {
        "name": "ようこそ産前産後ケア～パパママ学級～", "kana": "ようこそさんぜんさんごけあぱぱままがっきゅう",
        "fields": ["子ども・子育て", "保健・医療"],
        "description": "産後ケアクラスを月に1～2回開催しています（最大6名、オンラインクラスもあります）。",
        "seeks_collaboration": True,
        "collaboration_note": "連携のご提案をいただけると励みになります。",
    },
]  # fmt: skip

SAMPLE_GROUPS = [
    # name, kana, member e-mail
    ("サンプル町会（デモ）", "さんぷるちょうかい", "member@example.jp"),
    ("サンプル学生サークル（デモ）", "さんぷるがくせいさーくる", "student@example.jp"),
]


def load(today=None):
    fields = {}
    for order, (name, name_en) in enumerate(FIELDS):
        fields[name], _ = ActivityField.objects.get_or_create(
            name=name, defaults={"name_en": name_en, "order": order}
        )
    groups = {}
    for data in NEWSLETTER_GROUPS:
        data = dict(data)
        field_names = data.pop("fields")
        group, created = Group.objects.get_or_create(
            name=data["name"],
            defaults={
                **data,
                "representative": "（掲載用サンプル）",
                "contact_email": f"group{len(groups) + 1}@example.jp",
                "area": "金沢市",
                "status": Group.Status.APPROVED,
                "listed": True,
            },
        )
        if created:
            group.fields.set([fields[n] for n in field_names])
        groups[group.name] = group
    from kyodo.core.demo import demo_user

    for name, kana, email in SAMPLE_GROUPS:
        group, created = Group.objects.get_or_create(
            name=name,
            defaults={
                "kana": kana,
                "representative": "代表 花子（サンプル）",
                "contact_email": email,
                "area": "金沢市（サンプル）",
                "member_count": 30,
                "description": "デモ用のサンプル団体です。",
                "status": Group.Status.APPROVED,
                "listed": False,
            },
        )
        if created:
            group.fields.set([fields["地域・町会"]])
        user = User.objects.filter(email=email).first() or demo_user(email, f"{name}の会員（サンプル）")
        Membership.objects.get_or_create(group=group, user=user, defaults={"role": Membership.Role.MANAGER})
        groups[name] = group
    return {"groups": groups}
