"""The newsletter's four groups with their interviews (verbatim), and sample groups."""

import datetime as dt
from typing import Any

from kyodo.core.demo import demo_user
from kyodo.core.models import User
from kyodo.groups.models import ActivityField, Feature, FeatureQA, Group, Membership

# The issue is from autumn 2021 (its events are in October and November); the day is not printed.
ISSUE_DATE = dt.date(2021, 10, 1)

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

NEWSLETTER_GROUPS: list[dict[str, Any]] = [
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

FEATURE_TITLE = "コロナ禍における市民活動"
FEATURE_INTRO = "市民活動団体にお話を伺いました！"
# The printed text has a layout quirk in ようこそ産前産後ケア's section: after its Q2 answer it repeats
# シングルマザーの会's message ("ひとり親家庭への食糧支援…") under a first "Q3", then continues with a paragraph
# that answers Q2 ("…コロナ禍でも続けられる強みは、その想いです。"), then prints Q3 again with its real answer.
# We keep every answer verbatim as printed, but attribute them sensibly: the stray paragraph stays with
# シングルマザーの会 only (its Q2, printed there too), the "ただただ…" paragraph joins ようこそ's Q2 answer,
# and ようこそ's Q3 is the answer printed under the second Q3. シングルマザーの会 was asked two questions, and
# its second is printed as "Q2" with the Q3 wording; we keep that as printed.
INTERVIEWS = {
    "Finding ゴミ": [
        (
            1,
            "コロナ禍での現在の活動状況はどのようになっていますか？",
            "感染症対策を行なながら、イベントベースでゴミ拾いを行ったり、地域で行われている清掃活動に参加したりしています。新年度に入り、新たにメンバーが4名増えたので、メンバー間での交流・会話を中心に楽しく活動を行っています。各メンバー、やりたいことで溢っていて、イベント企画が追い付いていないという嬉しい悩みを抱えています。",
        ),
        (
            2,
            "コロナ禍においても活動を続けられる強みは何ですか？",
            "少人数でも活動が成立するため人数制限を設けたり、オンラインのイベントに変更したりと、柔軟な対応ができることが強みだと思っています。また、ゴミ拾いは密になることなく屋外で活動ができるので、コロナの影響を強く受けることなく活動ができていると考えます。「学生だからこそできること」、『コロナ禍でもできること』を学生のうちにやりまくりたい！」という思いでいます。",
        ),
        (
            3,
            "他団体に紹介したい取組みや伝えたいメッセージをお願いします！",
            "ゴミ拾いをしていると、普段の生活では気づかないお店や裏道など、新たな発見があります。それがとっても楽しいです！ゴミ拾いが地味なイメージである時代はもう終わりました。私たちはゴミを拾うだけでなく、「ゴミ拾いを通じて地域のコミュニティ活性化」を目指しています。",
        ),
    ],
    "シングルマザーの会": [
        (
            1,
            "コロナ禍での現在の活動状況はどのようになっていますか？",
            "対面での交流会を開催しづらくなっているため、イベント回数は減りました。",
        ),
        (
            2,
            "他団体に紹介したい取組みや伝えたいメッセージをお願いします！",
            "ひとり親家庭への食糧支援やイベント開催をしていきたいと考えています。連携のご提案をいただけると励みになります。よろしくお願いいたします。",
        ),
    ],
    "FIKA 金沢": [
        (
            1,
            "コロナ禍での現在の活動状況はどのようになっていますか？",
            "会員が集まって活動はしていませんが、一人一人ができる範囲で自主的に会の目的である「金沢在住の外国人との交流」を地道に行っています。金沢国際交流財団から紹介があるものについては積極的に参加するようにしています。",
        ),
        (
            2,
            "コロナ禍においても活動を続けられる強みは何ですか？",
            "コロナ禍で時間がある中、伝統文化等の習得にむけて新しいチャレンジにも挑戦するなど、次につながる良い機会だと思うようにしています。",
        ),
        (
            3,
            "他団体に紹介したい取組みや伝えたいメッセージをお願いします！",
            "コロナ禍で交流活動がままならなくても、コロナ禍でもできることができる範囲で実施し、今までのつながりを切らないように細く長く継続していくことに重きを置いています。",
        ),
    ],
    "ようこそ産前産後ケア～パパママ学級～": [
        (
            1,
            "コロナ禍での現在の活動状況はどのようになっていますか？",
            "参加人数を最大6名と人数制限をしています。令和3年度はオンラインクラスも導入しました。月に1～2回のペースで産後ケアクラスを開催していますが、毎回満席状態です。産後ケアを求めているママやパパは本当にたくさんいるんです。",
        ),
        (
            2,
            "コロナ禍においても活動を続けられる強みは何ですか？",
            "コロナ禍において、産後女性の孤立化がさらに進んでおり、産後うつになる女性がこれまでの2倍に増えているという研究調査もでています。何も対策をしなければ、自殺、虐待などの大きな問題は増える一方であり、今後、少子化もどんどん加速する可能性も考えられます。コロナ禍だからこそ（コロナ禍でなくとも）、産後女性の社会を作り、人と人が関わる場所を作り、体と心をケアする機会を作る、そんな産後ケアを充実する必要があります。出産後の母親に対するケアを充実させることで、きっと素晴らしい未来が待っています。\n\nただただ、ママたちが心からの笑顔で過ごしてほしい！コロナ禍になってからその想いは一層強くなりました。コロナ禍でも続けられる強みは、その想いです。",
        ),
        (
            3,
            "他団体に紹介したい取組みや伝えたいメッセージをお願いします！",
            "昨年度から満席状態が続いているため、今年度もそうなることが予想されます。今年度は、産後ケアを受けたくても受けられないママやパパのために産後ケアのパンフレットを作成しました。産後ケアとは何なのか、どんなことをするのかが記載されています。ぜひ手に取ってみてくださいね。産後のママやパパだけでなく、高校生や大学生など、これから親になりうる世代の方、子育て終了世代の方、おじいちゃんやおばあちゃんにも、ぜひ産後ケアに触れてほしいなと思います。",
        ),
    ],
}


SAMPLE_GROUPS = [
    # name, kana, member e-mail
    ("サンプル町会（デモ）", "さんぷるちょうかい", "member@example.jp"),
    ("サンプル学生サークル（デモ）", "さんぷるがくせいさーくる", "student@example.jp"),
]


def load(today: dt.date | None = None) -> dict[str, dict[str, Group]]:
    fields: dict[str, ActivityField] = {}
    for order, (name, name_en) in enumerate(FIELDS):
        fields[name], _ = ActivityField.objects.get_or_create(
            name=name, defaults={"name_en": name_en, "order": order}
        )
    groups: dict[str, Group] = {}
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
    _features()
    return {"groups": groups}


def _features() -> None:
    for name, answers in INTERVIEWS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        feature, created = Feature.objects.get_or_create(
            group=group,
            title=FEATURE_TITLE,
            defaults={"intro": FEATURE_INTRO, "published": True, "published_on": ISSUE_DATE},
        )
        if created:
            for order, question, answer in answers:
                FeatureQA.objects.create(feature=feature, order=order, question=question, answer=answer)
